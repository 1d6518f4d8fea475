using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.NavierStokes;

/// <summary>Velocity (and optionally pressure) given on some boundary parts.</summary>
/// <param name="Parts">Boundary parts covered: space faces, or "t-min" for the initial state.</param>
/// <param name="U">x-velocity there.</param>
/// <param name="V">y-velocity there.</param>
/// <param name="P">Pressure there, or null when only the velocity is prescribed (not allowed on "t-min").</param>
public sealed record VelocityCondition(IReadOnlyList<string> Parts, Expr U, Expr V, Expr? P = null);

/// <summary>The exact solution (u, v, p) as expressions in the domain's variables.</summary>
public sealed record FlowExpressions(Expr U, Expr V, Expr P);

/// <summary>
/// Two-dimensional incompressible Navier–Stokes flow (density 1, kinematic viscosity ν) in velocity–pressure
/// form, steady on (x, y) or unsteady on (x, y, t):
/// <code>
///   u_t + u u_x + v u_y + p_x − ν (u_xx + u_yy) = 0     momentum_x
///   v_t + u v_x + v v_y + p_y − ν (v_xx + v_yy) = 0     momentum_y
///   u_x + v_y = 0                                        continuity
/// </code>
/// (no u_t, v_t when steady). Outputs (u, v, p). Loss terms, each a mean square: the three residuals at the interior
/// points; "boundary" = mean over boundary points of (u − g_u)² + (v − g_v)² on the space faces; "initial", the same
/// on the face t-min (unsteady only); "boundary_pressure" = mean (p − g_p)² where a condition gives pressure; "gauge"
/// when a <see cref="PressureGauge"/> is set; optionally "pressure_poisson", the pressure Poisson equation
/// p_xx + p_yy + u_x² + 2 u_y v_x + v_y² = 0 (the divergence of the momentum equations with continuity used), which
/// ties the pressure to the velocity at every instant instead of only through u_t. With boundary residuals on, the
/// residual terms also cover the boundary points (space faces and, when unsteady, the initial face): the equations hold
/// there too, and near the walls and t = 0 the pressure is otherwise constrained by interior points on one side only. Pressure is otherwise fixed only up to a constant (a function of t when
/// unsteady), so it is listed in <see cref="OutputsUpToConstant"/>.
/// </summary>
public sealed class NavierStokesProblem : IPdeProblem
{
    /// <summary>Name of the initial face of a space–time box.</summary>
    public const string InitialPart = "t-min";

    /// <summary>Times at which a point gauge pins the pressure of an unsteady flow (uniform over the time interval).</summary>
    public const int GaugeTimes = 21;

    private readonly PiecewiseBoundaryData _u, _v;
    private readonly PiecewiseBoundaryData? _p, _u0, _v0;
    private readonly string[] _spaceParts;

    /// <summary>
    /// Creates the problem. The domain's variables must be (x, y) or (x, y, t); every space face needs a velocity
    /// condition and, when unsteady, the face t-min one too (the initial state).
    /// </summary>
    public NavierStokesProblem(IDomain domain, double viscosity, IReadOnlyList<VelocityCondition> conditions,
        FlowExpressions? exact = null, PressureGauge? gauge = null, bool pressurePoisson = false, bool boundaryResiduals = false)
    {
        var variables = domain.Variables;
        bool steady = variables.SequenceEqual(new[] { "x", "y" });
        if (!steady && !variables.SequenceEqual(new[] { "x", "y", "t" }))
            throw new ArgumentException($"Navier–Stokes is posed on (x, y) or (x, y, t), got ({string.Join(", ", variables)})");
        if (!(viscosity > 0) || !double.IsFinite(viscosity)) throw new ArgumentException($"viscosity must be positive and finite, got {viscosity}");
        Domain = domain;
        Conditions = conditions;
        Viscosity = viscosity;
        IsUnsteady = !steady;
        ExactFlow = exact;
        Gauge = gauge;
        PressurePoisson = pressurePoisson;
        BoundaryResiduals = boundaryResiduals;
        Exact = exact is null ? null : new ExpressionSolution(new[] { exact.U, exact.V, exact.P }, domain.Dimension);
        _spaceParts = domain.BoundaryParts.Where(p => !p.StartsWith("t-", StringComparison.Ordinal)).ToArray();
        var required = IsUnsteady ? _spaceParts.Append(InitialPart).ToArray() : _spaceParts;

        var covered = conditions.SelectMany(c => c.Parts).ToArray();
        var missing = required.Except(covered).ToArray();
        if (missing.Length > 0) throw new ArgumentException($"no velocity condition on {string.Join(", ", missing)}");
        var extra = covered.Except(required).ToArray();
        if (extra.Length > 0) throw new ArgumentException($"no condition is allowed on {string.Join(", ", extra)}");
        if (covered.Length != covered.Distinct().Count()) throw new ArgumentException("a boundary part has more than one condition");

        (IReadOnlyList<string>, Expr)[] Pieces(Func<VelocityCondition, Expr?> pick, bool initial) => conditions
            .Select(c => (Parts: (IReadOnlyList<string>)c.Parts.Where(p => (p == InitialPart) == initial).ToArray(), Value: pick(c)))
            .Where(c => c.Parts.Count > 0 && c.Value is not null)
            .Select(c => (c.Parts, c.Value!)).ToArray();
        _u = new PiecewiseBoundaryData(Pieces(c => c.U, false));
        _v = new PiecewiseBoundaryData(Pieces(c => c.V, false));
        var pressure = Pieces(c => c.P, false);
        _p = pressure.Length > 0 ? new PiecewiseBoundaryData(pressure) : null;
        if (IsUnsteady)
        {
            _u0 = new PiecewiseBoundaryData(Pieces(c => c.U, true));
            _v0 = new PiecewiseBoundaryData(Pieces(c => c.V, true));
        }

        var terms = new List<string> { "momentum_x", "momentum_y", "continuity", "boundary" };
        if (pressurePoisson) terms.Add("pressure_poisson");
        if (IsUnsteady) terms.Add("initial");
        if (_p is not null) terms.Add("boundary_pressure");
        if (gauge is not null) terms.Add("gauge");
        LossTermNames = terms;
        if (gauge is { Kind: PressureGaugeKind.Mean } && IsUnsteady)
            throw new ArgumentException("a mean-pressure gauge fixes one constant only; an unsteady flow needs a point gauge (its pressure is free up to a function of time)");
        if (gauge is { Kind: PressureGaugeKind.Point } g && g.Point.Count != 2)
            throw new ArgumentException($"the gauge point needs 2 coordinates (x, y), got {g.Point.Count}");
    }

    /// <summary>The domain.</summary>
    public IDomain Domain { get; }

    /// <summary>The velocity (and pressure) conditions, as given.</summary>
    public IReadOnlyList<VelocityCondition> Conditions { get; }

    /// <summary>Kinematic viscosity ν (1/Re for unit velocity and length scales).</summary>
    public double Viscosity { get; }

    /// <summary>True when time is a coordinate.</summary>
    public bool IsUnsteady { get; }

    /// <summary>The exact solution's expressions, when given.</summary>
    public FlowExpressions? ExactFlow { get; }

    /// <summary>How the pressure constant is fixed, or null when it is left free.</summary>
    public PressureGauge? Gauge { get; }

    /// <summary>True when the pressure Poisson equation is an extra loss term ("pressure_poisson").</summary>
    public bool PressurePoisson { get; }

    /// <summary>True when the residual terms are also taken at the boundary points.</summary>
    public bool BoundaryResiduals { get; }

    /// <inheritdoc />
    public string Family => "navier-stokes";

    /// <inheritdoc />
    public int InputDimension => Domain.Dimension;

    /// <inheritdoc />
    public int OutputDimension => 3;

    /// <inheritdoc />
    public IReadOnlyList<string> OutputNames { get; } = new[] { "u", "v", "p" };

    /// <inheritdoc />
    public IReadOnlyCollection<int> OutputsUpToConstant { get; } = new[] { 2 };

    /// <inheritdoc />
    public IReadOnlyList<string> LossTermNames { get; }

    /// <inheritdoc />
    public IExactSolution? Exact { get; }

    /// <summary>The momentum and continuity residuals [N] each, from a field with second derivatives.</summary>
    public (Tensor MomentumX, Tensor MomentumY, Tensor Continuity) Residuals(Field f)
    {
        const int U = 0, V = 1, P = 2, X = 0, Y = 1, T = 2;
        var u = f.Component(U);
        var v = f.Component(V);
        var momentumX = u * f.D(U, X) + v * f.D(U, Y) + f.D(P, X) - Viscosity * (f.DD(U, X) + f.DD(U, Y));
        var momentumY = u * f.D(V, X) + v * f.D(V, Y) + f.D(P, Y) - Viscosity * (f.DD(V, X) + f.DD(V, Y));
        if (IsUnsteady)
        {
            momentumX = momentumX + f.D(U, T);
            momentumY = momentumY + f.D(V, T);
        }
        return (momentumX, momentumY, f.D(U, X) + f.D(V, Y));
    }

    /// <summary>
    /// Residual [N] of the pressure Poisson equation Δp = −(u_x² + 2 u_y v_x + v_y²): the divergence of the momentum
    /// equations once u_x + v_y = 0 holds at all times (so its time derivative and Laplacian vanish too).
    /// </summary>
    public Tensor PressurePoissonResidual(Field f)
    {
        const int U = 0, V = 1, P = 2, X = 0, Y = 1;
        var ux = f.D(U, X);
        var vy = f.D(V, Y);
        return f.DD(P, X) + f.DD(P, Y) + ux * ux + 2 * f.D(U, Y) * f.D(V, X) + vy * vy;
    }

    /// <inheritdoc />
    public IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points)
    {
        var spaceMask = points.OnParts(_spaceParts);
        var wall = points.Cached("ns.wall", () => Rows(points.Boundary, spaceMask));
        var gu = points.Cached("ns.u", () => _u.Evaluate(points));
        var gv = points.Cached("ns.v", () => _v.Evaluate(points));
        var onBoundary = BoundaryResiduals ? FieldNeeds.SecondDiagonal : FieldNeeds.Value;
        var sets = new List<(Tensor, FieldNeeds)> { (points.Interior, FieldNeeds.SecondDiagonal), (wall, onBoundary) };
        Tensor? start = null, gauge = null;
        if (IsUnsteady)
        {
            start = points.Cached("ns.start", () => Rows(points.Boundary, points.OnParts(new[] { InitialPart })));
            sets.Add((start, onBoundary));
        }
        if (Gauge is { Kind: PressureGaugeKind.Point })
        {
            gauge = points.Cached("ns.gauge-points", () => GaugePoints(points.Interior));
            sets.Add((gauge, FieldNeeds.Value));
        }
        var fields = field.EvaluateTogether(sets.ToArray());
        // Fields that carry second derivatives, whose residuals enter the residual terms.
        var residualFields = BoundaryResiduals ? fields.Take(IsUnsteady ? 3 : 2).ToArray() : new[] { fields[0] };
        var residuals = residualFields.Select(Residuals).ToArray();
        var mx = cat(residuals.Select(r => r.MomentumX).ToArray());
        var my = cat(residuals.Select(r => r.MomentumY).ToArray());
        var continuity = cat(residuals.Select(r => r.Continuity).ToArray());
        var onWall = fields[1];
        var terms = new List<LossTerm>
        {
            new("momentum_x", mx.square().mean()),
            new("momentum_y", my.square().mean()),
            new("continuity", continuity.square().mean()),
            new("boundary", ((onWall.Component(0) - gu).square() + (onWall.Component(1) - gv).square()).mean()),
        };
        if (PressurePoisson) terms.Add(new("pressure_poisson", cat(residualFields.Select(PressurePoissonResidual).ToArray()).square().mean()));
        int next = 2;
        if (IsUnsteady)
        {
            var u0 = points.Cached("ns.u0", () => _u0!.Evaluate(points));
            var v0 = points.Cached("ns.v0", () => _v0!.Evaluate(points));
            var initial = fields[next++];
            terms.Add(new("initial", ((initial.Component(0) - u0).square() + (initial.Component(1) - v0).square()).mean()));
        }
        if (_p is not null)
        {
            // Pressure data cover only some of the wall points: pick those rows of the wall field.
                        var gp = points.Cached("ns.p", () => _p.Evaluate(points));
            var rows = points.Cached("ns.p-rows", () => PressureRows(points, spaceMask, points.OnParts(_p.Parts)));
            var p = onWall.Component(2).index_select(0, rows);
            terms.Add(new("boundary_pressure", (p - gp).square().mean()));
        }
        if (Gauge is { } g)
        {
            if (g.Kind == PressureGaugeKind.Point)
            {
                var target = points.Cached("ns.gauge", () => GaugeValues(gauge!));
                terms.Add(new("gauge", (fields[next].Component(2) - target).square().mean()));
            }
            else
            {
                var target = points.Cached("ns.gauge", () => GaugeValues(points.Interior).mean());
                terms.Add(new("gauge", (fields[0].Component(2).mean() - target).square()));
            }
        }
        return terms;
    }

    /// <summary>The gauge points: the pinned point, at <see cref="GaugeTimes"/> times when unsteady.</summary>
    private Tensor GaugePoints(Tensor like)
    {
        var g = Gauge!;
        if (!IsUnsteady) return tensor(new[] { g.Point[0], g.Point[1] }, new long[] { 1, 2 }, like.dtype, like.device);
        var time = Domain.Bounds.Axes[2];
        var rows = new double[GaugeTimes * 3];
        for (int k = 0; k < GaugeTimes; k++)
        {
            rows[3 * k] = g.Point[0];
            rows[3 * k + 1] = g.Point[1];
            rows[3 * k + 2] = time.Lo + time.Length * k / (GaugeTimes - 1);
        }
        return tensor(rows, new long[] { GaugeTimes, 3 }, like.dtype, like.device);
    }

    /// <summary>The gauge's pressure at points: its given value, else the exact pressure, else 0.</summary>
    private Tensor GaugeValues(Tensor at)
    {
        var value = Gauge!.Value ?? ExactFlow?.P;
        return value is null ? zeros(at.shape[0], dtype: at.dtype, device: at.device) : value.Evaluate(at);
    }

    private static Tensor Rows(Tensor values, bool[] mask) => PiecewiseBoundaryData.Select(values, mask);

    /// <summary>Indices, among the wall rows, of the points that carry pressure data.</summary>
    private static Tensor PressureRows(CollocationSet points, bool[] wall, bool[] withPressure)
    {
        var indices = new List<long>();
        long row = 0;
        for (int i = 0; i < wall.Length; i++)
        {
            if (!wall[i]) continue;
            if (withPressure[i]) indices.Add(row);
            row++;
        }
        return tensor(indices.ToArray(), device: points.Boundary.device);
    }
}
