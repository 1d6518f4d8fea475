using Kan.Pde.Core.Expressions;
using Kan.Pde.Problems;
using YamlDotNet.RepresentationModel;

namespace Kan.Pde.Runner.Spec;

/// <summary>
/// The YAML side of <see cref="IProblemSection"/>: a checked mapping whose typed readers report problems as
/// <see cref="SpecException"/>s with file, line, column and field path.
/// </summary>
internal sealed class SpecProblemSection : IProblemSection
{
    private readonly SpecMapping _mapping;

    public SpecProblemSection(SpecMapping mapping) => _mapping = mapping;

    public string Path => _mapping.Self.Path;

    public bool Has(string key) => _mapping.Optional(key) is not null;

    public double Number(string key, double? fallback = null, double min = double.MinValue, double max = double.MaxValue) =>
        Field(key, fallback is null, "a number")?.AsDouble(min, max) ?? fallback!.Value;

    public int Integer(string key, int? fallback = null, int min = int.MinValue, int max = int.MaxValue) =>
        Field(key, fallback is null, "an integer")?.AsInt(min, max) ?? fallback!.Value;

    public string Choice(string key, string? fallback, params string[] choices) =>
        Field(key, fallback is null, string.Join(" or ", choices))?.AsChoice(choices) ?? fallback!;

    public bool Flag(string key, bool fallback) => Field(key, false, "true or false")?.AsChoice("true", "false") switch
    {
        "true" => true,
        "false" => false,
        _ => fallback,
    };

    public string Text(string key, string? fallback = null) => Field(key, fallback is null, "a text")?.AsString() ?? fallback!;

    public IReadOnlyList<string> Texts(string key)
    {
        var node = Field(key, true, "a name or a list of names")!;
        if (node.Node is YamlSequenceNode)
        {
            var items = node.AsSequence();
            if (items.Count == 0) throw node.Error("expected at least one name");
            return items.Select(i => i.AsString()).ToArray();
        }
        return new[] { node.AsString() };
    }

    public IReadOnlyList<double> Numbers(string key, int? count = null)
    {
        var node = Field(key, true, count is int c ? $"a list of {c} numbers" : "a list of numbers")!;
        var items = node.AsSequence();
        if (count is int n && items.Count != n) throw node.Error($"expected {n} numbers, got {items.Count}");
        if (items.Count == 0) throw node.Error("expected at least one number");
        return items.Select(i => i.AsDouble()).ToArray();
    }

    public Expr Expression(string key, IReadOnlyList<string> variables) =>
        Field(key, true, "an expression")!.AsExpression(variables);

    public Expr? OptionalExpression(string key, IReadOnlyList<string> variables) =>
        Field(key, false, "an expression")?.AsExpression(variables);

    public IProblemSection? Section(string key, IReadOnlyCollection<string> allowedKeys) =>
        Field(key, false, "a mapping") is { } node ? new SpecProblemSection(node.AsMapping(allowedKeys)) : null;

    public IReadOnlyList<IProblemSection> Sections(string key, IReadOnlyCollection<string> allowedKeys) =>
        Field(key, true, "a list of mappings")!.AsSequence().Select(i => (IProblemSection)new SpecProblemSection(i.AsMapping(allowedKeys))).ToArray();

    public Exception Error(string key, string problem) =>
        _mapping.Optional(key) is { } node ? node.Error(problem)
            : new SpecException(_mapping.Self.File, _mapping.Self.Node.Start.Line, _mapping.Self.Node.Start.Column, _mapping.PathOf(key), problem);

    public Exception Error(string problem) => _mapping.Self.Error(problem);

    private SpecNode? Field(string key, bool required, string expected) =>
        required ? _mapping.Required(key, expected) : _mapping.Optional(key);
}
