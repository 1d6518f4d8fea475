using Kan.Pde.Core.Geometry;

namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] ShapeKinds = { "box", "disk", "ball", "polygon", "union", "intersection", "difference" };

    /// <summary>
    /// <c>domain: {geometry: SHAPE}</c>, where a shape is a mapping with one of <c>box: {x: [..], y: [..]}</c>,
    /// <c>disk: {centre: [x, y], radius: r}</c>, <c>ball: {centre: [x, y, z], radius: r}</c>,
    /// <c>polygon: [[x, y], …]</c> (or <c>{vertices: [...], sides: [names]}</c>), or <c>union</c> /
    /// <c>intersection</c> / <c>difference</c> with a list of shapes, and an optional <c>name</c> that makes the
    /// shape's whole boundary one part of that name.
    /// </summary>
    private static IRegion ReadGeometry(SpecNode node)
    {
        int? dimension = null;
        return ReadShape(node, ref dimension);
    }

    private static IRegion ReadShape(SpecNode node, ref int? dimension)
    {
        var m = node.AsMapping(ShapeKinds.Append("name").ToArray());
        var kinds = m.Keys.Where(k => k != "name").ToArray();
        if (kinds.Length != 1)
            throw node.Error(kinds.Length == 0
                ? $"expected one shape: {string.Join(", ", ShapeKinds)}"
                : $"one shape per mapping, found {string.Join(" and ", kinds)} (combine shapes with union, intersection or difference)");
        string kind = kinds[0];
        var body = m.Required(kind);
        IRegion shape;
        try
        {
            shape = kind switch
            {
                "box" => ReadBoxShape(body, ref dimension),
                "disk" => ReadBall(body, 2, ref dimension),
                "ball" => ReadBall(body, 3, ref dimension),
                "polygon" => ReadPolygon(body, ref dimension),
                _ => ReadSetOperation(kind, body, ref dimension),
            };
        }
        catch (ArgumentException e)
        {
            throw body.Error(e.Message);
        }
        if (m.Optional("name") is { } nameNode)
        {
            string name = nameNode.AsString();
            if (!NameSyntax().IsMatch(name) || name == Problems.Common.BoundaryConditionList.All)
                throw nameNode.Error($"invalid boundary part name {SpecText.Quote(name)}; expected letters, digits, '.', '_' and '-' (and not 'all')");
            shape = new NamedRegion(shape, name);
        }
        return shape;
    }

    private static void CheckDimension(SpecNode node, int found, ref int? dimension)
    {
        dimension ??= found;
        if (dimension != found)
            throw node.Error($"all shapes must have the same number of coordinates: this one has {found}, an earlier one {dimension}");
    }

    private static IReadOnlyList<string> SpaceVariables(int dimension) => SpaceAxes.Take(dimension).ToArray();

    private static IRegion ReadBoxShape(SpecNode node, ref int? dimension)
    {
        var axes = ReadDomain(node);
        if (axes.Any(a => a.Name == TimeAxis))
            throw node.Error("a shape has space coordinates only; give the time interval t next to 'geometry' in the domain");
        CheckDimension(node, axes.Count, ref dimension);
        return new Box(axes.Select(a => new Interval(a.Name, a.Lo, a.Hi)).ToArray());
    }

    private static IRegion ReadBall(SpecNode node, int dim, ref int? dimension)
    {
        CheckDimension(node, dim, ref dimension);
        var m = node.AsMapping(new[] { "centre", "center", "radius" });
        if (m.Optional("centre") is not null && m.Optional("center") is not null)
            m.Forbid(new[] { "center" }, "give the centre once ('centre' or 'center')");
        var centreNode = m.Optional("centre") ?? m.Optional("center") ?? m.Required("centre", $"[{string.Join(", ", SpaceVariables(dim))}] of the centre");
        var items = centreNode.AsSequence();
        if (items.Count != dim) throw centreNode.Error($"expected {dim} coordinates, got {items.Count}");
        double radius = m.Required("radius", "a number > 0").AsDouble(min: 0, exclusiveMin: true);
        return new Ball(SpaceVariables(dim), items.Select(i => i.AsDouble()).ToArray(), radius);
    }

    private static IRegion ReadPolygon(SpecNode node, ref int? dimension)
    {
        CheckDimension(node, 2, ref dimension);
        SpecNode verticesNode = node;
        IReadOnlyList<string>? sides = null;
        if (node.Node is YamlDotNet.RepresentationModel.YamlMappingNode)
        {
            var m = node.AsMapping(new[] { "vertices", "sides" });
            verticesNode = m.Required("vertices", "a list of [x, y] points");
            if (m.Optional("sides") is { } sidesNode)
            {
                var names = sidesNode.AsSequence().Select(s =>
                {
                    string n = s.AsString();
                    if (!NameSyntax().IsMatch(n) || n == Problems.Common.BoundaryConditionList.All)
                        throw s.Error($"invalid boundary part name {SpecText.Quote(n)}; expected letters, digits, '.', '_' and '-' (and not 'all')");
                    return n;
                }).ToArray();
                var twice = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
                if (twice is not null) throw sidesNode.Error($"side name {twice.Key} is used twice");
                sides = names;
            }
        }
        var vertices = verticesNode.AsSequence().Select(v =>
        {
            var xy = v.AsSequence();
            if (xy.Count != 2) throw v.Error($"expected a vertex [x, y], got {xy.Count} numbers");
            return (xy[0].AsDouble(), xy[1].AsDouble());
        }).ToArray();
        if (vertices.Length < 3) throw verticesNode.Error($"a polygon needs at least 3 vertices, got {vertices.Length}");
        return new Polygon(SpaceVariables(2), vertices, sides);
    }

    private static IRegion ReadSetOperation(string kind, SpecNode node, ref int? dimension)
    {
        var items = node.AsSequence();
        if (items.Count < 2) throw node.Error($"{kind} needs a list of at least 2 shapes, got {items.Count}");
        var operands = new List<IRegion>();
        foreach (var item in items) operands.Add(ReadShape(item, ref dimension));
        return kind switch
        {
            "union" => new Union(operands),
            "intersection" => new Intersection(operands),
            _ => new Difference(operands),
        };
    }
}
