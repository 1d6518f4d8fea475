using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// One eigenstate of −ψ'' + Vψ = Eψ on [a, b] with ψ(a) = ψ(b) = 0: the network gives ψ, the energy E is the
/// problem's own trainable scalar. States are found one after another (<see cref="IProblemSequence"/>): state k
/// is kept orthogonal to the networks of states 0..k−1.
/// </summary>
/// <remarks>
/// The network N gives ψ = g·N with an envelope g that vanishes at the ends (see <see cref="StateOf"/>).
/// Loss terms: "pde" = mean(−ψ'' + (V − E)ψ)²; "norm" = (‖ψ‖ − 1)² with ‖ψ‖² = ∫ψ²;
/// "orthogonality" = Σ_j (∫ψ ψ_j)² / (∫ψ² ∫ψ_j²) over the earlier states; "rayleigh" = ∫(ψ'² + Vψ²) / ∫ψ², the Rayleigh
/// quotient. The quotient is stationary at every eigenstate, so it does not move the solution; it makes the
/// lowest state orthogonal to the earlier ones the one training falls into (a residual alone is just as
/// small at any eigenstate). Integrals use the trapezoid rule over the sorted interior points with ψ = 0 at a and b
/// (<see cref="QuadratureWeights"/>), which holds for a mesh (edges included) as for scattered points.
/// </remarks>
public sealed class SchrodingerProblem : IPdeProblem, IProblemSequence, IProblemQuantities
{
    private readonly IReadOnlyList<INetwork> _earlier;
    private readonly Lazy<IReadOnlyList<SchrodingerReference.Eigenstate>> _reference;
    private readonly Lazy<GridFunction> _landscape;

    /// <summary>Creates state <paramref name="state"/> of <paramref name="states"/>, given the networks of the lower ones.</summary>
    public SchrodingerProblem(Box domain, IPotential potential, int states, int referenceNodes, double initialEnergy,
        int state = 0, IReadOnlyList<INetwork>? earlier = null, Lazy<IReadOnlyList<SchrodingerReference.Eigenstate>>? reference = null,
        Lazy<GridFunction>? landscape = null)
    {
        if (domain.Dimension != 1 || potential.Dimension != 1) throw new ArgumentException("eigenstates are solved in one dimension");
        if (states < 1) throw new ArgumentOutOfRangeException(nameof(states));
        if (state < 0 || state >= states) throw new ArgumentOutOfRangeException(nameof(state));
        _earlier = earlier ?? Array.Empty<INetwork>();
        if (_earlier.Count != state) throw new ArgumentException($"state {state} needs the networks of {state} lower states, got {_earlier.Count}");
        Domain = domain;
        Potential = potential;
        Count = states;
        State = state;
        ReferenceNodes = referenceNodes;
        InitialEnergy = initialEnergy;
        Energy = new Parameter(tensor(initialEnergy, ScalarType.Float64));
        var (a, b) = (domain.Axes[0].Lo, domain.Axes[0].Hi);
        _reference = reference ?? new Lazy<IReadOnlyList<SchrodingerReference.Eigenstate>>(() =>
            SchrodingerReference.Lowest(potential, a, b, referenceNodes, states));
        _landscape = landscape ?? new Lazy<GridFunction>(() =>
            LandscapeReference.Solve(potential, new[] { a }, new[] { b }, new[] { 2 * referenceNodes - 1 }).Solution);
    }

    /// <summary>The finite-difference landscape u of the same potential (for the wells of 1/u).</summary>
    public GridFunction Landscape => _landscape.Value;

    /// <summary>The interval.</summary>
    public Box Domain { get; }

    /// <summary>V.</summary>
    public IPotential Potential { get; }

    /// <summary>Which state this is (0 = ground state).</summary>
    public int State { get; }

    /// <summary>Coarse finite-difference nodes of the reference (fine: 2n − 1).</summary>
    public int ReferenceNodes { get; }

    /// <summary>The energy E starts here.</summary>
    public double InitialEnergy { get; }

    /// <summary>E, trained with the network.</summary>
    public Parameter Energy { get; }

    /// <summary>The finite-difference reference states (computed on first access, shared by the sequence).</summary>
    public IReadOnlyList<SchrodingerReference.Eigenstate> Reference => _reference.Value;

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public IPdeProblem Member(int index, IReadOnlyList<INetwork> earlier) =>
        index == State && earlier.Count == _earlier.Count ? this
            : new SchrodingerProblem(Domain, Potential, Count, ReferenceNodes, InitialEnergy, index, earlier, _reference, _landscape);

    /// <inheritdoc />
    public string Family => "schrodinger";

    /// <inheritdoc />
    public int InputDimension => 1;

    /// <inheritdoc />
    public int OutputDimension => 1;

    /// <inheritdoc />
    public IReadOnlyList<string> OutputNames { get; } = new[] { "psi" };

    /// <inheritdoc />
    public IReadOnlyList<string> LossTermNames { get; } = new[] { "pde", "norm", "orthogonality", "rayleigh" };

    /// <summary>
    /// No exact solution for the trainer: an eigenstate is fixed only up to its sign, so errors against the
    /// reference are measured after aligning signs (<see cref="ReferenceState"/>).
    /// </summary>
    public IExactSolution? Exact => null;

    /// <summary>The reference of this state.</summary>
    public SchrodingerReference.Eigenstate ReferenceState => Reference[State];

    /// <inheritdoc />
    public IReadOnlyList<Parameter> TrainableParameters => new[] { Energy };

    /// <inheritdoc />
    public IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points)
    {
        var x = points.Interior.select(1, 0);
        var v = points.Cached("schrodinger.potential", () => Potential.Evaluate(points.Interior));
        var w = points.Cached("schrodinger.quadrature", () => QuadratureWeights(points.Interior));
        var n = field.Evaluate(points.Interior, FieldNeeds.SecondDiagonal);
        // ψ = g·N with g vanishing at the ends: ψ' = g'N + gN', ψ'' = g''N + 2g'N' + gN''.
        var (g, g1, g2) = Envelope(x);
        var value = n.Component(0);
        var psi = g * value;
        var slope = g1 * value + g * n.D(0, 0);
        var curvature = g2 * value + 2 * g1 * n.D(0, 0) + g * n.DD(0, 0);
        var residual = -curvature + (v - Energy) * psi;
        var squareIntegral = (w * psi.square()).sum();
        var terms = new List<LossTerm>
        {
            new("pde", residual.square().mean()),
            // (‖ψ‖ − 1)² rather than (‖ψ‖² − 1)²: the latter has no slope at ψ = 0, where training would then rest.
            new("norm", (squareIntegral.add(1e-300).sqrt() - 1).square()),
        };
        // The ground state has no lower states: its orthogonality term is zero (kept so that every state reports the same terms).
        Tensor orthogonality = zeros(1, psi.dtype, psi.device).squeeze();
        for (int j = 0; j < _earlier.Count; j++)
        {
            var network = _earlier[j];
            var lower = points.Cached($"schrodinger.state{j}", () => StateOf(network, points.Interior));
            // The squared cosine between ψ and ψ_j: independent of ψ's size, so shrinking ψ cannot lower it.
            orthogonality = orthogonality + (w * psi * lower).sum().square() / (squareIntegral * (w * lower.square()).sum());
        }
        terms.Add(new LossTerm("orthogonality", orthogonality));
        terms.Add(new LossTerm("rayleigh", (w * (slope.square() + v * psi.square())).sum() / squareIntegral));
        return terms;
    }

    /// <summary>
    /// ψ at points [N, 1] for a network trained on this problem: ψ = g·N with g(x) = tanh((x − a)/ℓ)·tanh((b − x)/ℓ),
    /// ℓ = L/50, so the Dirichlet conditions hold exactly while g ≈ 1 away from the ends. (A soft boundary term lets the
    /// Rayleigh quotient gain by leaking through the ends, which biased E low by a few per cent in a test on [0, π]; an
    /// envelope that is small over much of the interval, such as (x − a)(b − x), makes states near an end hard to reach.)
    /// </summary>
    public Tensor StateOf(INetwork network, Tensor points)
    {
        var (g, _, _) = Envelope(points.select(1, 0));
        return g * network.Forward(points).select(1, 0);
    }

    private (Tensor G, Tensor Slope, Tensor Curvature) Envelope(Tensor x)
    {
        double a = Domain.Axes[0].Lo, b = Domain.Axes[0].Hi, width = Domain.Axes[0].Length / 50;
        // p = tanh(s), q = tanh(t) with s = (x − a)/ℓ, t = (b − x)/ℓ: p' = (1 − p²)/ℓ, p'' = −2p(1 − p²)/ℓ², q' = −(1 − q²)/ℓ, q'' = −2q(1 − q²)/ℓ².
        var p = ((x - a) / width).tanh();
        var q = ((b - x) / width).tanh();
        var p1 = (1 - p.square()) / width;
        var q1 = -(1 - q.square()) / width;
        var p2 = -2 * p * (1 - p.square()) / (width * width);
        var q2 = -2 * q * (1 - q.square()) / (width * width);
        return (p * q, p1 * q + p * q1, p2 * q + 2 * p1 * q1 + p * q2);
    }

    /// <summary>
    /// E and its relative error against the reference; the IPR ∫ψ⁴/(∫ψ²)² of the network's and the reference
    /// state on the evaluation points (trapezoid rule) and its relative error; the relative L2 error of ψ
    /// after aligning its sign with the reference; the centre ⟨x⟩ = ∫xψ²/∫ψ² of both; and the well of 1/u
    /// nearest to the centre with the landscape's energy estimate 1.25·min(1/u) there.
    /// </summary>
    public IReadOnlyDictionary<string, double> Quantities(INetwork network, Tensor evaluationPoints)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = evaluationPoints.to(ScalarType.Float64, CPU).select(1, 0).data<double>().ToArray();
        var psi = StateOf(network, evaluationPoints).to(ScalarType.Float64, CPU).data<double>().ToArray();
        var w = QuadratureWeights(evaluationPoints).to(ScalarType.Float64, CPU).data<double>().ToArray();
        var reference = ReferenceState;
        var exact = x.Select(xi => reference.State.At(new[] { xi })).ToArray();
        double overlap = psi.Zip(exact, (p, e) => p * e).Sum();
        double sign = overlap < 0 ? -1 : 1;
        double diff = 0, norm = 0;
        for (int i = 0; i < x.Length; i++)
        {
            diff += w[i] * Math.Pow(sign * psi[i] - exact[i], 2);
            norm += w[i] * exact[i] * exact[i];
        }
        double energy = Energy.ToDouble();
        double ipr = Ipr(psi), referenceIpr = Ipr(exact);
        double centre = Centre(x, psi, w), referenceCentre = Centre(x, exact, w);
        var wells = LandscapeWells.Find(Landscape);
        var nearest = wells.MinBy(w => Math.Abs(w.Position - centre));
        return new Dictionary<string, double>
        {
            ["energy"] = energy,
            ["reference_energy"] = reference.Energy,
            ["energy_relative_error"] = Math.Abs(energy - reference.Energy) / Math.Abs(reference.Energy),
            ["reference_energy_extrapolation_step"] = reference.EnergyCorrection,
            ["ipr"] = ipr,
            ["reference_ipr"] = referenceIpr,
            ["ipr_relative_error"] = Math.Abs(ipr - referenceIpr) / referenceIpr,
            ["psi_relative_l2"] = Math.Sqrt(diff / norm),
            ["norm"] = Integral(p => p * p, psi),
            ["centre"] = centre,
            ["reference_centre"] = referenceCentre,
            ["nearest_well"] = nearest?.Position ?? double.NaN,
            ["nearest_well_rank"] = nearest is null ? double.NaN : IndexOf(wells, nearest),
            ["landscape_energy_estimate"] = nearest?.EnergyEstimate(1) ?? double.NaN,
        };

        double Ipr(double[] values)
        {
            double second = Integral(v => v * v, values);
            return Integral(v => v * v * v * v, values) / (second * second);
        }

        double Integral(Func<double, double> f, double[] values)
        {
            double sum = 0;
            for (int i = 0; i < values.Length; i++) sum += w[i] * f(values[i]);
            return sum;
        }
    }

    /// <summary>
    /// Trapezoid weights on the interval for points [N, 1] in any order, for integrands that vanish at a and b:
    /// w_i = (x_next − x_prev)/2 over the sorted points, with a and b as the outer neighbours. For a uniform mesh with
    /// its edges this is the trapezoid rule (L/(n − 1) per point, not L/n); for scattered points it is the rule on
    /// their own intervals.
    /// </summary>
    public Tensor QuadratureWeights(Tensor points)
    {
        if (points.dim() != 2 || points.shape[1] != 1) throw new ArgumentException($"points must be [N, 1], got [{string.Join(", ", points.shape)}]");
        double a = Domain.Axes[0].Lo, b = Domain.Axes[0].Hi;
        var x = points.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
        var weights = new double[x.Length];
        for (int k = 0; k < order.Length; k++)
        {
            double previous = k == 0 ? a : x[order[k - 1]];
            double next = k == order.Length - 1 ? b : x[order[k + 1]];
            weights[order[k]] = 0.5 * (next - previous);
        }
        return tensor(weights, points.dtype, points.device);
    }

    private static double Centre(double[] x, double[] psi, double[] w)
    {
        double weight = 0, moment = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double p = w[i] * psi[i] * psi[i];
            weight += p;
            moment += p * x[i];
        }
        return moment / weight;
    }

    private static double IndexOf(IReadOnlyList<LandscapeWell> wells, LandscapeWell well)
    {
        for (int i = 0; i < wells.Count; i++)
            if (ReferenceEquals(wells[i], well)) return i;
        return double.NaN;
    }
}
