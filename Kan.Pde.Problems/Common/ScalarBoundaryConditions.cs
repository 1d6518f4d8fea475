using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Common;

/// <summary>
/// Dirichlet, Neumann and Robin conditions of one scalar field, read from a spec's boundary list and turned into
/// loss terms: "boundary" (Dirichlet mismatch), "neumann" and "robin", each the mean square over the boundary
/// points of the parts it covers; a term appears only when some condition of its kind is given. Normal
/// derivatives use the collocation set's outward unit normals.
/// </summary>
public sealed class ScalarBoundaryConditions
{
    private static readonly (BoundaryKind Kind, string Term)[] Terms =
        { (BoundaryKind.Dirichlet, "boundary"), (BoundaryKind.Neumann, "neumann"), (BoundaryKind.Robin, "robin") };

    private readonly Expr? _exact;
    private readonly Expr[]? _exactGradient;
    private readonly string _cachePrefix;

    /// <summary>
    /// The conditions; those without a value take it from <paramref name="exact"/> (required then). Every part of
    /// <paramref name="domain"/> must be covered by exactly one condition.
    /// </summary>
    public ScalarBoundaryConditions(IDomain domain, IReadOnlyList<BoundaryCondition> conditions, Expr? exact, string cachePrefix)
    {
        Conditions = conditions.ToArray();
        _exact = exact;
        _exactGradient = exact is null ? null : Enumerable.Range(0, domain.Dimension).Select(exact.Derivative).ToArray();
        _cachePrefix = cachePrefix;
        foreach (var c in Conditions)
        {
            if (c.Value is null && exact is null)
                throw new ArgumentException($"the {c.Kind.ToString().ToLowerInvariant()} condition on {string.Join(", ", c.Parts)} needs a value (no exact solution given)");
            if (c.Kind == BoundaryKind.Robin && (c.A is null || c.B is null))
                throw new ArgumentException("a Robin condition needs both coefficients a and b");
        }
        var covered = Conditions.SelectMany(c => c.Parts).ToArray();
        var twice = covered.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"boundary part {twice.Key} has two conditions");
        var uncovered = domain.BoundaryParts.Except(covered).ToArray();
        if (uncovered.Length > 0) throw new ArgumentException($"no boundary condition on {string.Join(", ", uncovered)}");
        TermNames = Terms.Where(t => Conditions.Any(c => c.Kind == t.Kind)).Select(t => t.Term).ToArray();
    }

    /// <summary>The conditions in spec order.</summary>
    public IReadOnlyList<BoundaryCondition> Conditions { get; }

    /// <summary>Loss terms these conditions produce, in a fixed order (boundary, neumann, robin).</summary>
    public IReadOnlyList<string> TermNames { get; }

    /// <summary>What the boundary points need of the field: gradients as soon as a normal derivative appears.</summary>
    public FieldNeeds Needs => Conditions.Any(c => c.Kind != BoundaryKind.Dirichlet) ? FieldNeeds.Gradient : FieldNeeds.Value;

    /// <summary>
    /// Reads <c>boundary: - {on, value} | {on, normal_derivative} | {on, robin: {a, b}, value}</c> (an optional
    /// <c>kind</c> names the type explicitly, e.g. a Neumann condition whose data come from <c>exact</c>).
    /// </summary>
    public static IReadOnlyList<BoundaryCondition> Read(IProblemSection problem, string key, IReadOnlyList<string> parts,
        IReadOnlyList<string> variables, Expr? exact)
    {
        var entries = BoundaryConditionList.Read(problem, key, new[] { "kind", "value", "normal_derivative", "robin" }, parts);
        var result = new List<BoundaryCondition>();
        foreach (var entry in entries)
        {
            var s = entry.Section;
            string inferred = s.Has("robin") ? "robin" : s.Has("normal_derivative") ? "neumann" : "dirichlet";
            string kind = s.Choice("kind", inferred, "dirichlet", "neumann", "robin");
            string noExact = exact is null ? $" (it defaults to the exact solution only when '{problem.Path}.exact' is given)" : "";
            switch (kind)
            {
                case "dirichlet":
                    if (s.Has("normal_derivative")) throw s.Error("normal_derivative", "not allowed in a dirichlet condition (it prescribes u itself through 'value')");
                    if (s.Has("robin")) throw s.Error("robin", "not allowed in a dirichlet condition");
                    var value = s.OptionalExpression("value", variables);
                    if (value is null && exact is null) throw s.Error("value", $"required field is missing; expected an expression{noExact}");
                    result.Add(BoundaryCondition.Dirichlet(entry.Parts, value));
                    break;
                case "neumann":
                    if (s.Has("value")) throw s.Error("value", "not allowed in a neumann condition; give the normal derivative as 'normal_derivative'");
                    if (s.Has("robin")) throw s.Error("robin", "not allowed in a neumann condition");
                    var flux = s.OptionalExpression("normal_derivative", variables);
                    if (flux is null && exact is null) throw s.Error("normal_derivative", $"required field is missing; expected an expression for ∂u/∂n{noExact}");
                    result.Add(BoundaryCondition.Neumann(entry.Parts, flux));
                    break;
                default:
                    if (s.Has("normal_derivative")) throw s.Error("normal_derivative", "not allowed in a robin condition; its right-hand side is 'value'");
                    var coefficients = s.Section("robin", new[] { "a", "b" })
                        ?? throw s.Error("robin", "required field is missing; expected {a: EXPR, b: EXPR} for a·u + b·∂u/∂n = value");
                    var a = coefficients.Expression("a", variables);
                    var b = coefficients.Expression("b", variables);
                    var rhs = s.OptionalExpression("value", variables);
                    if (rhs is null && exact is null) throw s.Error("value", $"required field is missing; expected the right-hand side of a·u + b·∂u/∂n{noExact}");
                    result.Add(BoundaryCondition.Robin(entry.Parts, a, b, rhs));
                    break;
            }
        }
        return result;
    }

    /// <summary>The loss terms at the boundary points of <paramref name="points"/>, given the field there (with gradients when <see cref="Needs"/> says so).</summary>
    public IEnumerable<LossTerm> Losses(Field boundary, CollocationSet points)
    {
        foreach (var (kind, term) in Terms)
        {
            var of = Conditions.Where(c => c.Kind == kind).ToArray();
            if (of.Length == 0) continue;
            var mask = points.OnParts(of.SelectMany(c => c.Parts).ToArray());
            var data = points.Cached($"{_cachePrefix}.{term}.data", () => Data(of, points, mask));
            // g as its own kept view: one operation fewer per evaluation.
            var g = points.Cached($"{_cachePrefix}.{term}.g", () => data.select(1, 0));
            var u = PiecewiseBoundaryData.Select(boundary.Component(0), mask);
            Tensor residual;
            if (kind == BoundaryKind.Dirichlet) residual = u - g;
            else
            {
                var normals = PiecewiseBoundaryData.Select(points.BoundaryNormals, mask);
                var dudn = (PiecewiseBoundaryData.Select(boundary.Gradient!.select(2, 0), mask) * normals).sum(1);
                residual = kind == BoundaryKind.Neumann ? dudn - g
                    : data.select(1, 1) * u + data.select(1, 2) * dudn - g;
            }
            yield return LossTerm.OfResiduals(term, residual, PointSet.Boundary);
        }
    }

    /// <summary>Per selected point: g (and a, b for Robin) as [M_selected, 3].</summary>
    private Tensor Data(IReadOnlyList<BoundaryCondition> conditions, CollocationSet points, bool[] mask)
    {
        var x = points.Boundary;
        var normals = points.BoundaryNormals;
        long M = x.shape[0];
        var g = zeros(M, dtype: x.dtype, device: x.device);
        var a = zeros(M, dtype: x.dtype, device: x.device);
        var b = zeros(M, dtype: x.dtype, device: x.device);
        foreach (var c in conditions)
        {
            var on = points.OnParts(c.Parts);
            if (!on.Any(m => m)) continue;
            var where = tensor(on, device: x.device);
            var ca = c.Kind switch { BoundaryKind.Dirichlet => Ones(x), BoundaryKind.Neumann => Zeros(x), _ => c.A!.Evaluate(x) };
            var cb = c.Kind switch { BoundaryKind.Dirichlet => Zeros(x), BoundaryKind.Neumann => Ones(x), _ => c.B!.Evaluate(x) };
            var value = c.Value?.Evaluate(x) ?? ExactData(x, normals, ca, cb);
            g = torch.where(where, value, g);
            a = torch.where(where, ca, a);
            b = torch.where(where, cb, b);
        }
        return PiecewiseBoundaryData.Select(stack(new[] { g, a, b }, 1), mask);
    }

    /// <summary>a·u* + b·∂u*/∂n at the points.</summary>
    private Tensor ExactData(Tensor x, Tensor normals, Tensor a, Tensor b)
    {
        var u = _exact!.Evaluate(x);
        var dudn = zeros_like(u);
        for (int d = 0; d < _exactGradient!.Length; d++) dudn = dudn + _exactGradient[d].Evaluate(x) * normals.select(1, d);
        return a * u + b * dudn;
    }

    private static Tensor Ones(Tensor x) => ones(x.shape[0], dtype: x.dtype, device: x.device);

    private static Tensor Zeros(Tensor x) => zeros(x.shape[0], dtype: x.dtype, device: x.device);
}
