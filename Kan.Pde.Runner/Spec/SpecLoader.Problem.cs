using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] ProblemKeys = { "family", "domain", "exact", "source", "boundary" };
    private static readonly string[] AxisNames = { "x", "y", "z" };
    private static readonly string[] BoundaryKeys = { "on", "value" };

    private static ProblemSpec ReadProblem(SpecNode node)
    {
        var m = node.AsMapping(ProblemKeys);
        string family = m.Required("family", "poisson").AsChoice("poisson");

        var domain = ReadDomain(m.Required("domain", "a mapping such as {x: [-1, 1], y: [-1, 1]}"));
        var variables = domain.Select(a => a.Name).ToArray();

        Expr? exact = m.Optional("exact")?.AsExpression(variables);
        // Without a source the problem derives it from the exact solution (math belongs to the problem).
        Expr? source = m.Optional("source")?.AsExpression(variables);
        if (source is null && exact is null)
            throw m.Required("source", "an expression for the right-hand side (required when 'exact' is absent)").Error("missing value");

        var boundary = ReadBoundary(m.Required("boundary", "a list of {on, value} conditions"), variables, exact, m.PathOf("exact"));
        return new ProblemSpec(family, domain, exact, source, boundary);
    }

    private static IReadOnlyList<DomainAxis> ReadDomain(SpecNode node)
    {
        var m = node.AsMapping(AxisNames);
        var keys = m.Keys.ToArray();
        if (keys.Length == 0) throw node.Error("expected 1 to 3 intervals, e.g. {x: [-1, 1], y: [-1, 1]}");
        for (int i = 0; i < keys.Length; i++)
            if (keys[i] != AxisNames[i])
                throw m.Required(keys[i]).Error(
                    $"coordinates must be named {string.Join(", ", AxisNames.Take(keys.Length))} in this order; found {SpecText.Quote(keys[i])} in position {i + 1}");

        var axes = new List<DomainAxis>();
        foreach (var name in keys)
        {
            var (lo, hi) = ReadInterval(m.Required(name, "[lo, hi]"));
            axes.Add(new DomainAxis(name, lo, hi));
        }
        return axes;
    }

    /// <summary>A [lo, hi] pair of finite numbers with lo &lt; hi.</summary>
    private static (double Lo, double Hi) ReadInterval(SpecNode node)
    {
        var items = node.AsSequence();
        if (items.Count != 2) throw node.Error($"expected an interval [lo, hi] with 2 numbers, got {items.Count}");
        double lo = items[0].AsDouble(), hi = items[1].AsDouble();
        if (!(lo < hi)) throw node.Error($"expected lo < hi, got [{lo}, {hi}]");
        if (!double.IsFinite(hi - lo)) throw node.Error($"interval [{lo}, {hi}] is too wide (hi - lo must be finite)");
        return (lo, hi);
    }

    private static IReadOnlyList<BoundarySpec> ReadBoundary(SpecNode node, IReadOnlyList<string> variables, Expr? exact, string exactPath)
    {
        var faces = ProblemSpec.FacesOf(variables);
        string allowed = $"{ProblemSpec.AllFaces}, {string.Join(", ", faces)}";
        var coveredBy = new Dictionary<string, string>();
        var conditions = new List<BoundarySpec>();

        var items = node.AsSequence();
        if (items.Count == 0) throw node.Error($"expected at least one condition, e.g. - {{on: all, value: 0}}");
        foreach (var item in items)
        {
            var m = item.AsMapping(BoundaryKeys);
            var onNode = m.Required("on", allowed);
            string on = onNode.AsString();
            if (on != ProblemSpec.AllFaces && !faces.Contains(on))
            {
                bool isFace = ProblemSpec.FacesOf(AxisNames).Contains(on);
                throw onNode.Error(isFace
                    ? $"face {SpecText.Quote(on)} does not exist in a {variables.Count}-D domain (expected one of: {allowed})"
                    : $"unknown face {SpecText.Quote(on)} (expected one of: {allowed})");
            }
            foreach (var face in on == ProblemSpec.AllFaces ? faces : new[] { on })
            {
                if (coveredBy.TryGetValue(face, out var earlier))
                    throw onNode.Error($"face {face} is already covered by {earlier}; every face needs exactly one condition");
                coveredBy[face] = item.Path;
            }

            Expr value;
            if (m.Optional("value") is { } valueNode)
                value = valueNode.AsExpression(variables);
            else if (exact is not null)
                value = exact; // the exact solution is the natural Dirichlet data
            else
                throw m.Required("value", $"an expression (it defaults to the exact solution only when '{exactPath}' is given)")
                    .Error("missing value");
            conditions.Add(new BoundarySpec(on, value));
        }

        var missing = faces.Where(f => !coveredBy.ContainsKey(f)).ToArray();
        if (missing.Length > 0)
            throw node.Error($"no condition for face(s) {string.Join(", ", missing)}; every face needs exactly one (or use on: all)");
        return conditions;
    }
}
