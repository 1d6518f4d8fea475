using Kan.Pde.Core.Geometry;
using Kan.Pde.Problems;

namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] CommonProblemKeys = { "family", "domain" };
    private static readonly string[] SpaceAxes = { "x", "y", "z" };
    private const string TimeAxis = "t";

    private static ProblemSpec ReadProblem(SpecNode node)
    {
        var families = ProblemFamilies.All.Select(f => f.Name).ToArray();
        // The family decides which other keys are allowed, so it is read before the mapping is checked.
        var anyFamilyKeys = CommonProblemKeys.Concat(ProblemFamilies.All.SelectMany(f => f.Keys)).Distinct().ToArray();
        var familyNode = node.Peek("family") ?? node.AsMapping(anyFamilyKeys).Required("family", string.Join(" or ", families));
        var family = ProblemFamilies.Find(familyNode.AsChoice(families))!;
        var m = node.AsMapping(CommonProblemKeys.Concat(family.Keys).ToArray());

        var domainNode = m.Required("domain", "a mapping such as {x: [-1, 1], y: [-1, 1]} or {geometry: {disk: ...}}");
        IDomain geometry;
        IReadOnlyList<DomainAxis> domain;
        if (domainNode.Peek("geometry") is { } shapeNode)
        {
            domainNode.AsMapping(new[] { "geometry" });
            var region = ReadGeometry(shapeNode);
            geometry = region;
            domain = region.Bounds.Axes.Select(a => new DomainAxis(a.Name, a.Lo, a.Hi)).ToArray();
        }
        else
        {
            domain = ReadDomain(domainNode);
            geometry = new Box(domain.Select(a => new Interval(a.Name, a.Lo, a.Hi)).ToArray());
        }
        var problem = family.Build(new SpecProblemSection(m), geometry);
        return new ProblemSpec(family.Name, domain, geometry, problem);
    }

    /// <summary>Space coordinates x, y, z in this order (1 to 3 of them), optionally followed by time t.</summary>
    private static IReadOnlyList<DomainAxis> ReadDomain(SpecNode node)
    {
        var m = node.AsMapping(SpaceAxes.Append(TimeAxis).Append("geometry").ToArray());
        var keys = m.Keys.ToArray();
        if (keys.Contains("geometry"))
            throw m.Required("geometry").Error("a domain is either a box of intervals or one geometry; give the time interval t only with a box");
        var space = keys.Where(k => k != TimeAxis).ToArray();
        if (space.Length == 0) throw node.Error("expected 1 to 3 space intervals, e.g. {x: [-1, 1], y: [-1, 1]} (and optionally t: [0, T]), or {geometry: SHAPE}");
        for (int i = 0; i < space.Length; i++)
            if (space[i] != SpaceAxes[i])
                throw m.Required(space[i]).Error(
                    $"coordinates must be named {string.Join(", ", SpaceAxes.Take(space.Length))} in this order; found {SpecText.Quote(space[i])} in position {i + 1}");
        if (keys.Contains(TimeAxis) && keys[^1] != TimeAxis)
            throw m.Required(TimeAxis).Error("the time interval t must come after the space coordinates");

        return keys.Select(name =>
        {
            var (lo, hi) = ReadInterval(m.Required(name, "[lo, hi]"));
            return new DomainAxis(name, lo, hi);
        }).ToArray();
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
}
