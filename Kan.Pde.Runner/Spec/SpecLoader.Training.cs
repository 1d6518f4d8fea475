using static TorchSharp.torch;
using Kan.Pde.Core.Adaptive;

namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] CollocationKeys = { "interior", "boundary", "resample_every", "adaptive", "point_weights" };
    private static readonly string[] SamplerKeys = { "sampler", "points", "count" };
    private static readonly string[] SamplerNames = { "mesh", "random", "latin_hypercube", "halton", "sobol" };
    private static readonly string[] LossKeys = { "weights", "balancing" };
    private static readonly string[] LbfgsOnlyKeys =
        { "history", "max_iterations", "max_evaluations", "tolerance_grad", "tolerance_change", "line_search" };
    private static readonly string[] KanStageKeys = { "grid", "grid_update_at" };
    private static readonly string[] StageKeys =
        new[] { "optimizer", "steps", "learning_rate", "optimizer_state" }.Concat(KanStageKeys).Concat(LbfgsOnlyKeys).ToArray();
    private static readonly string[] EvaluationKeys = { "points", "reference" };
    private static readonly string[] ReferenceKeys = { "name", "file", "at", "snap" };
    private static readonly string[] RestartKeys = { "candidates", "steps" };

    private static RestartSpec? ReadRestarts(SpecNode? node, StageSpec firstStage)
    {
        if (node is null) return null;
        var m = node.AsMapping(RestartKeys);
        int candidates = m.Required("candidates", "an integer ≥ 1").AsInt(min: 1, max: 64);
        var stepsNode = m.Required("steps", "an integer ≥ 1");
        int steps = stepsNode.AsInt(min: 1);
        if (steps > firstStage.Steps)
            throw stepsNode.Error($"trial steps ({steps}) exceed the first stage's steps ({firstStage.Steps})");
        return new RestartSpec(candidates, steps);
    }

    private static CollocationSpec ReadCollocation(SpecNode node, int dimension, IReadOnlyList<string> terms)
    {
        var m = node.AsMapping(CollocationKeys);
        var interior = ReadSampler(m.Required("interior", "{sampler: mesh, points: [...]} or {sampler: sobol, count: N}"), dimension,
            boundary: false);
        var boundary = ReadSampler(m.Required("boundary", "{sampler: mesh, points: N} or {sampler: sobol, count: N}"), dimension,
            boundary: true);
        int? every = null;
        if (m.Optional("resample_every") is { } everyNode)
        {
            every = everyNode.AsInt(min: 1);
            if (interior.Kind == SamplerKind.Mesh && boundary.Kind == SamplerKind.Mesh)
                throw everyNode.Error("resampling needs a sampler other than mesh (a mesh gives the same points every time)");
        }
        return new CollocationSpec(interior, boundary)
        {
            ResampleEvery = every,
            Adaptive = ReadAdaptiveSampling(m.Optional("adaptive"), interior, every),
            PointWeights = ReadPointWeights(m.Optional("point_weights"), terms),
        };
    }

    /// <summary><c>adaptive: {method: rad, every: K, exponent: k, constant: c, candidates: N}</c>.</summary>
    private static ResidualAdaptiveSampling? ReadAdaptiveSampling(SpecNode? node, SamplerSpec interior, int? resampleEvery)
    {
        if (node is null) return null;
        var m = node.AsMapping(new[] { "method", "every", "exponent", "constant", "candidates" });
        m.Optional("method")?.AsChoice("rad");
        if (interior.Kind == SamplerKind.Mesh)
            throw node.Error("residual-adaptive sampling draws candidates from the interior sampler; use one other than mesh (e.g. sobol)");
        int every = m.Optional("every")?.AsInt(min: 1) ?? resampleEvery
            ?? m.Required("every", "the number of steps between redistributions (an integer >= 1; defaults to resample_every)").AsInt(min: 1);
        double exponent = m.Optional("exponent")?.AsDouble(min: 0, max: 10) ?? 1;
        double constant = m.Optional("constant")?.AsDouble(min: 0) ?? 1;
        int count = interior.Count!.Value;
        int candidates = count * 10;
        if (m.Optional("candidates") is { } candidatesNode)
        {
            candidates = candidatesNode.AsInt(min: 1);
            if (candidates < count) throw candidatesNode.Error($"the candidate pool ({candidates}) must hold at least the {count} interior points");
            CheckPointBudget(candidatesNode, candidates);
        }
        else CheckPointBudget(node, candidates);
        return new ResidualAdaptiveSampling(every, exponent, constant, candidates);
    }

    /// <summary><c>point_weights: {method: rba, decay: γ, rate: η, terms: [...]}</c>.</summary>
    private static ResidualPointWeights? ReadPointWeights(SpecNode? node, IReadOnlyList<string> terms)
    {
        if (node is null) return null;
        var m = node.AsMapping(new[] { "method", "decay", "rate", "terms" });
        m.Optional("method")?.AsChoice("rba");
        double decay = m.Optional("decay")?.AsDouble(min: 0, max: 0.999999999) ?? 0.999;
        double rate = m.Optional("rate")?.AsDouble(min: 0, exclusiveMin: true) ?? 0.01;
        List<string>? chosen = null;
        if (m.Optional("terms") is { } termsNode)
        {
            chosen = new List<string>();
            foreach (var item in termsNode.AsSequence())
            {
                string name = item.AsChoice(terms.ToArray());
                if (chosen.Contains(name)) throw item.Error($"term {name} is listed twice");
                chosen.Add(name);
            }
            if (chosen.Count == 0) throw termsNode.Error("expected at least one term");
        }
        return new ResidualPointWeights(decay, rate, chosen);
    }

    private static SamplerSpec ReadSampler(SpecNode node, int dimension, bool boundary)
    {
        var m = node.AsMapping(SamplerKeys);
        var kind = m.Required("sampler", string.Join(", ", SamplerNames)).AsChoice(SamplerNames) switch
        {
            "mesh" => SamplerKind.Mesh,
            "random" => SamplerKind.Random,
            "latin_hypercube" => SamplerKind.LatinHypercube,
            "halton" => SamplerKind.Halton,
            _ => SamplerKind.Sobol,
        };
        if (kind != SamplerKind.Mesh)
        {
            m.Forbid(new[] { "points" }, $"'points' belongs to the mesh sampler; the {SamplerNames[(int)kind]} sampler takes 'count'");
            var countNode = m.Required("count", "the number of points (an integer >= 1)");
            int count = countNode.AsInt(min: 1);
            CheckPointBudget(countNode, count);
            return new SamplerSpec(kind, null, count);
        }

        m.Forbid(new[] { "count" }, "'count' belongs to the other samplers; the mesh sampler takes 'points'");
        var pointsNode = m.Required("points", "points per coordinate: one integer >= 2, or a list with one per dimension");
        var points = ReadMeshPoints(pointsNode, dimension);
        // On the boundary, each of the 2*D faces is a mesh over the other D-1 coordinates.
        double total = boundary ? BoundaryMeshSize(points) : points.Aggregate(1.0, (p, n) => p * n);
        CheckPointBudget(pointsNode, total);
        return new SamplerSpec(kind, points, null);
    }

    private static double BoundaryMeshSize(IReadOnlyList<int> points)
    {
        double total = 0;
        for (int d = 0; d < points.Count; d++)
            total += 2 * points.Where((_, i) => i != d).Aggregate(1.0, (p, n) => p * n);
        return total;
    }

    /// <summary>One integer for every coordinate, or a list with one per coordinate; each at least 2 (the mesh includes both ends).</summary>
    private static IReadOnlyList<int> ReadMeshPoints(SpecNode node, int dimension)
    {
        if (node.Node is YamlDotNet.RepresentationModel.YamlSequenceNode)
        {
            var items = node.AsSequence();
            if (items.Count != dimension)
                throw node.Error($"expected {dimension} point count(s), one per coordinate, got {items.Count}");
            return items.Select(i => i.AsInt(min: 2)).ToArray();
        }
        int n = node.AsInt(min: 2);
        return Enumerable.Repeat(n, dimension).ToArray();
    }

    /// <summary>
    /// Refuses a run whose estimated memory (<see cref="MemoryEstimate"/>) exceeds what this machine has, before
    /// anything is allocated. The error points at the network when it would not fit even with a thousand points,
    /// else at the collocation points or the evaluation mesh, whichever costs more.
    /// </summary>
    private static void CheckMemory(SpecNode modelNode, SpecNode collocationNode, SpecNode? evaluationNode, ProblemSpec problem, ModelSpec model,
        CollocationSpec collocation, IReadOnlyList<StageSpec> schedule, EvaluationSpec evaluation, ScalarType dtype)
    {
        double SamplerSize(SamplerSpec s, bool boundary) => s.Kind != SamplerKind.Mesh ? s.Count!.Value
            : boundary ? BoundaryMeshSize(Enumerable.Repeat(s.Points![0], problem.Dimension).ToArray()) : s.Points!.Aggregate(1.0, (p, n) => p * n);
        double trainingPoints = SamplerSize(collocation.Interior, false) + SamplerSize(collocation.Boundary, true);
        double evaluationPoints = evaluation.Points.Aggregate(1.0, (p, n) => p * n);
        int largestGrid = schedule.Select(s => s.Grid ?? 0).Append(model.Kan?.Grid ?? 0).Max();
        int optimizerVectors = schedule.Select(s => s.Lbfgs is { } l ? 2 * l.History + 4 : 2).Max();
        int order = problem.Definition.DerivativeOrder;
        MemoryEstimate.Breakdown Estimate(double training, double evaluated) => MemoryEstimate.Of(model, problem.Dimension,
            problem.Definition.OutputDimension, training, evaluated, order, largestGrid, optimizerVectors, dtype == ScalarType.Float32 ? 4 : 8);
        var estimate = Estimate(trainingPoints, evaluationPoints);
        long available = MemoryEstimate.AvailableBytes();
        if (!(estimate.Total > available)) return;
        var node = Estimate(Math.Min(trainingPoints, 1000), Math.Min(evaluationPoints, 1000)).Total > available ? modelNode
            : estimate.Evaluation > estimate.Training && evaluationNode is not null ? evaluationNode : collocationNode;
        throw node.Error($"this run needs about {MemoryEstimate.Format(estimate.Total)} of memory (training {MemoryEstimate.Format(estimate.Training)} " +
                         $"for {trainingPoints:0} points with derivatives up to order {order}, parameters and optimizer state " +
                         $"{MemoryEstimate.Format(estimate.Parameters)}, evaluation {MemoryEstimate.Format(estimate.Evaluation)}), more than the " +
                         $"{MemoryEstimate.Format(available)} this machine has; use fewer points, a smaller network or a coarser grid");
    }

    private static void CheckPointBudget(SpecNode node, double count)
    {
        if (count > MaxPoints)
            throw node.Error($"this asks for {count:0} points; at most {MaxPoints} are allowed");
    }

    /// <summary><c>loss: {weights: {TERM: w, …}, balancing: {…}}</c>, with TERM among the problem's loss terms.</summary>
    private static LossSpec ReadLoss(SpecNode? node, IReadOnlyList<string> terms)
    {
        var weights = new Dictionary<string, double>();
        var loss = node?.AsMapping(LossKeys);
        if (loss?.Optional("weights") is { } weightsNode)
        {
            var m = weightsNode.AsMapping(terms.ToArray());
            foreach (var term in m.Keys) weights[term] = m.Required(term, "a weight >= 0").AsDouble(min: 0);
        }
        TermBalancing? balancing = null;
        if (loss?.Optional("balancing") is { } balancingNode)
        {
            var b = balancingNode.AsMapping(new[] { "method", "every", "smoothing" });
            var method = b.Required("method", "grad_norm or annealing").AsChoice("grad_norm", "annealing") == "grad_norm"
                ? BalancingMethod.GradNorm : BalancingMethod.Annealing;
            int every = b.Required("every", "the number of steps between weight updates (an integer >= 1)").AsInt(min: 1);
            double smoothing = b.Optional("smoothing")?.AsDouble(min: 0, max: 0.999999999) ?? 0.9;
            balancing = new TermBalancing(method, every, smoothing);
        }
        return new LossSpec(weights) { Balancing = balancing };
    }

    private static IReadOnlyList<StageSpec> ReadSchedule(SpecNode node, bool kanStageKeys)
    {
        var items = node.AsSequence();
        if (items.Count == 0) throw node.Error("expected at least one stage, e.g. - {optimizer: lbfgs, steps: 50}");
        var stages = items.Select(item => ReadStage(item, kanStageKeys)).ToArray();
        for (int i = 0; i < stages.Length; i++)
            if (stages[i].CarryState && (i == 0 || stages[i - 1].Optimizer != OptimizerKind.Adam))
                throw items[i].AsMapping(StageKeys).Required("optimizer_state").Error(
                    "carry needs an adam stage right before this one (there is no Adam state to carry)");
        return stages;
    }

    private static StageSpec ReadStage(SpecNode node, bool kanStageKeys)
    {
        var m = node.AsMapping(StageKeys);
        var optimizer = m.Required("optimizer", "lbfgs or adam").AsChoice("lbfgs", "adam") == "lbfgs" ? OptimizerKind.Lbfgs : OptimizerKind.Adam;
        if (optimizer == OptimizerKind.Adam) m.Forbid(LbfgsOnlyKeys, "only for lbfgs stages (this stage uses adam)");
        if (!kanStageKeys) m.Forbid(KanStageKeys, "only for kan models (this model is mlp)");

        var stepsNode = m.Required("steps", "the number of optimizer steps (an integer >= 1)");
        int steps = stepsNode.AsInt(min: 1);
        int? grid = m.Optional("grid")?.AsInt(min: 1, max: 100_000);

        var updates = new List<int>();
        if (m.Optional("grid_update_at") is { } updatesNode)
        {
            foreach (var item in updatesNode.AsSequence())
            {
                int at = item.AsInt(min: 0);
                if (at >= steps) throw item.Error($"step {at} is outside this stage's steps 0..{steps - 1}");
                if (updates.Count > 0 && at <= updates[^1])
                    throw item.Error($"step indices must be increasing; {at} follows {updates[^1]}");
                updates.Add(at);
            }
        }

        double defaultRate = optimizer == OptimizerKind.Lbfgs ? 1.0 : 1e-3;
        double rate = m.Optional("learning_rate")?.AsDouble(min: 0, exclusiveMin: true) ?? defaultRate;

        LbfgsSpec? lbfgs = null;
        if (optimizer == OptimizerKind.Lbfgs)
        {
            lbfgs = new LbfgsSpec(
                History: m.Optional("history")?.AsInt(min: 1, max: 10_000) ?? 10,
                MaxIterations: m.Optional("max_iterations")?.AsInt(min: 1) ?? 20,
                MaxEvaluations: m.Optional("max_evaluations")?.AsInt(min: 1) ?? 25,
                ToleranceGrad: m.Optional("tolerance_grad")?.AsDouble(min: 0) ?? 1e-32,
                ToleranceChange: m.Optional("tolerance_change")?.AsDouble(min: 0) ?? 1e-32,
                LineSearch: m.Optional("line_search")?.AsChoice("strong_wolfe", "none") == "none" ? LineSearch.None : LineSearch.StrongWolfe);
        }
        bool carry = false;
        if (m.Optional("optimizer_state") is { } stateNode)
        {
            if (optimizer != OptimizerKind.Adam) throw stateNode.Error("not allowed here: only for adam stages (this stage uses lbfgs)");
            carry = stateNode.AsChoice("reset", "carry") == "carry";
        }
        return new StageSpec(optimizer, steps, rate, grid, updates, lbfgs) { CarryState = carry };
    }

    private static EvaluationSpec ReadEvaluation(SpecNode? node, ProblemSpec problem)
    {
        int dimension = problem.Dimension;
        int defaultPoints = dimension >= 3 ? 31 : 101;
        var fallback = Enumerable.Repeat(defaultPoints, dimension).ToArray();
        if (node is null) return new EvaluationSpec(fallback);
        var m = node.AsMapping(EvaluationKeys);
        var references = m.Optional("reference") is { } referenceNode ? ReadReferences(referenceNode, problem) : Array.Empty<ReferenceSpec>();
        if (m.Optional("points") is not { } pointsNode) return new EvaluationSpec(fallback) { References = references };
        var points = ReadMeshPoints(pointsNode, dimension);
        CheckPointBudget(pointsNode, points.Aggregate(1.0, (p, n) => p * n));
        return new EvaluationSpec(points) { References = references };
    }

    /// <summary><c>reference: [{name, file, at: {COORD: value}, snap: h}, …]</c>: CSV files of reference samples.</summary>
    private static IReadOnlyList<ReferenceSpec> ReadReferences(SpecNode node, ProblemSpec problem)
    {
        var coordinates = problem.Geometry.Variables;
        var outputs = problem.Definition.OutputNames;
        var bounds = problem.Geometry.Bounds.Axes;
        var result = new List<ReferenceSpec>();
        foreach (var item in node.AsSequence())
        {
            var m = item.AsMapping(ReferenceKeys);
            var nameNode = m.Required("name", "a name made of letters, digits, '.', '_' and '-'");
            string name = nameNode.AsString();
            if (!NameSyntax().IsMatch(name)) throw nameNode.Error($"invalid name {SpecText.Quote(name)}; expected letters, digits, '.', '_' and '-' only (it names a plot file)");
            if (result.Any(r => r.Name == name)) throw nameNode.Error($"reference set {SpecText.Quote(name)} is defined twice");
            var fileNode = m.Required("file", "a CSV file, relative to the spec's folder");
            string file = fileNode.AsString();
            var fixedAt = new Dictionary<string, double>();
            if (m.Optional("at") is { } atNode)
            {
                var at = atNode.AsMapping(coordinates.ToArray());
                foreach (var key in at.Keys)
                {
                    int d = coordinates.ToList().IndexOf(key);
                    fixedAt[key] = at.Required(key).AsDouble(bounds[d].Lo, bounds[d].Hi);
                }
            }
            double? snap = m.Optional("snap")?.AsDouble(min: 0, exclusiveMin: true);
            string folder = Path.GetDirectoryName(Path.GetFullPath(item.File)) ?? ".";
            string path = Path.IsPathRooted(file) ? file : Path.Combine(folder, file);
            var (points, values, varying) = ReferenceCsv.Read(path, file, fileNode.Path, coordinates, outputs, fixedAt, snap, fileNode);
            foreach (var point in points)
                for (int d = 0; d < point.Length; d++)
                    if (point[d] < bounds[d].Lo || point[d] > bounds[d].Hi)
                        throw fileNode.Error($"{file}: sample ({string.Join(", ", point)}) lies outside the domain ({coordinates[d]} in [{bounds[d].Lo}, {bounds[d].Hi}])");
            result.Add(new ReferenceSpec(name, points, values, varying, file));
        }
        return result;
    }
}
