namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] CollocationKeys = { "interior", "boundary" };
    private static readonly string[] SamplerKeys = { "sampler", "points", "count" };
    private static readonly string[] LossKeys = { "weights" };
    private static readonly string[] LbfgsOnlyKeys =
        { "history", "max_iterations", "max_evaluations", "tolerance_grad", "tolerance_change", "line_search" };
    private static readonly string[] KanStageKeys = { "grid", "grid_update_at" };
    private static readonly string[] StageKeys =
        new[] { "optimizer", "steps", "learning_rate" }.Concat(KanStageKeys).Concat(LbfgsOnlyKeys).ToArray();
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

    private static CollocationSpec ReadCollocation(SpecNode node, int dimension)
    {
        var m = node.AsMapping(CollocationKeys);
        var interior = ReadSampler(m.Required("interior", "{sampler: mesh, points: [...]} or {sampler: random, count: N}"), dimension,
            boundary: false);
        var boundary = ReadSampler(m.Required("boundary", "{sampler: mesh, points: N} or {sampler: random, count: N}"), dimension,
            boundary: true);
        return new CollocationSpec(interior, boundary);
    }

    private static SamplerSpec ReadSampler(SpecNode node, int dimension, bool boundary)
    {
        var m = node.AsMapping(SamplerKeys);
        var kind = m.Required("sampler", "mesh or random").AsChoice("mesh", "random") == "mesh" ? SamplerKind.Mesh : SamplerKind.Random;
        if (kind == SamplerKind.Random)
        {
            m.Forbid(new[] { "points" }, "'points' belongs to the mesh sampler; the random sampler takes 'count'");
            var countNode = m.Required("count", "the number of random points (an integer >= 1)");
            int count = countNode.AsInt(min: 1);
            CheckPointBudget(countNode, count);
            return new SamplerSpec(kind, null, count);
        }

        m.Forbid(new[] { "count" }, "'count' belongs to the random sampler; the mesh sampler takes 'points'");
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

    private static void CheckPointBudget(SpecNode node, double count)
    {
        if (count > MaxPoints)
            throw node.Error($"this asks for {count:0} points; at most {MaxPoints} are allowed");
    }

    /// <summary><c>loss: {weights: {TERM: w, …}}</c>, with TERM among the problem's loss terms.</summary>
    private static LossSpec ReadLoss(SpecNode? node, IReadOnlyList<string> terms)
    {
        var weights = new Dictionary<string, double>();
        if (node?.AsMapping(LossKeys).Optional("weights") is { } weightsNode)
        {
            var m = weightsNode.AsMapping(terms.ToArray());
            foreach (var term in m.Keys) weights[term] = m.Required(term, "a weight >= 0").AsDouble(min: 0);
        }
        return new LossSpec(weights);
    }

    private static IReadOnlyList<StageSpec> ReadSchedule(SpecNode node, ModelSpec model)
    {
        var items = node.AsSequence();
        if (items.Count == 0) throw node.Error("expected at least one stage, e.g. - {optimizer: lbfgs, steps: 50}");
        return items.Select(item => ReadStage(item, model)).ToArray();
    }

    private static StageSpec ReadStage(SpecNode node, ModelSpec model)
    {
        var m = node.AsMapping(StageKeys);
        var optimizer = m.Required("optimizer", "lbfgs or adam").AsChoice("lbfgs", "adam") == "lbfgs" ? OptimizerKind.Lbfgs : OptimizerKind.Adam;
        if (optimizer == OptimizerKind.Adam) m.Forbid(LbfgsOnlyKeys, "only for lbfgs stages (this stage uses adam)");
        if (model.Type != ModelType.Kan) m.Forbid(KanStageKeys, "only for kan models (this model is mlp)");

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
        return new StageSpec(optimizer, steps, rate, grid, updates, lbfgs);
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
