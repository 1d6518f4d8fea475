using System.Globalization;
using System.Text.RegularExpressions;
using Kan.Pde.Core.Expressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kan.Pde.Runner.Spec;

/// <summary>
/// A YAML node together with its field path and file, with typed readers that turn every mismatch into a
/// <see cref="SpecException"/> pointing at the node.
/// </summary>
internal sealed partial class SpecNode
{
    public SpecNode(YamlNode node, string path, string file)
    {
        Node = node;
        Path = path;
        File = file;
    }

    public YamlNode Node { get; }

    public string Path { get; }

    public string File { get; }

    public SpecException Error(string problem) => new(File, Node.Start.Line, Node.Start.Column, Path, problem);

    /// <summary>YAML's null: an empty value, ~ or null (unquoted).</summary>
    public bool IsNull => Node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
                          && (s.Value ?? "") is "" or "~" or "null" or "Null" or "NULL";

    public SpecMapping AsMapping(IReadOnlyCollection<string> allowedKeys)
    {
        if (Node is not YamlMappingNode m) throw Error($"expected a mapping of fields, got {Describe()}");
        return new SpecMapping(this, m, allowedKeys);
    }

    /// <summary>The value of <paramref name="key"/> when this is a mapping that has it (keys not checked), else null.</summary>
    public SpecNode? Peek(string key)
    {
        if (Node is not YamlMappingNode m) return null;
        foreach (var (k, v) in m.Children)
            if (k is YamlScalarNode { Value: { } name } && name == key)
            {
                var child = new SpecNode(v, Path == SpecLoader.RootPath ? key : $"{Path}.{key}", File);
                return child.IsNull ? null : child;
            }
        return null;
    }

    public IReadOnlyList<SpecNode> AsSequence()
    {
        if (Node is not YamlSequenceNode s) throw Error($"expected a list, got {Describe()}");
        return s.Children.Select((c, i) => new SpecNode(c, $"{Path}[{i}]", File)).ToArray();
    }

    public string AsString()
    {
        if (Node is not YamlScalarNode s || IsNull) throw Error($"expected a text value, got {Describe()}");
        return s.Value ?? "";
    }

    public string AsChoice(params string[] choices)
    {
        if (Node is not YamlScalarNode s || IsNull) throw Error($"expected one of {string.Join(", ", choices)}, got {Describe()}");
        string v = s.Value ?? "";
        if (!choices.Contains(v)) throw Error($"unsupported value {SpecText.Quote(v)} (expected one of: {string.Join(", ", choices)})");
        return v;
    }

    public int AsInt(int min = int.MinValue, int max = int.MaxValue)
    {
        string range = RangeText(min, max);
        string text = PlainScalar($"an integer{range}");
        if (!IntegerSyntax().IsMatch(text))
            throw Error($"expected an integer{range}, got {SpecText.Quote(text)}");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) || v < min || v > max)
            throw Error($"{text} is out of range (expected an integer{range})");
        return (int)v;
    }

    public double AsDouble(double min = double.MinValue, double max = double.MaxValue, bool exclusiveMin = false)
    {
        string range = exclusiveMin ? $" > {Fmt(min)}" : RangeText(min, max);
        string text = PlainScalar($"a number{range}");
        if (NonFiniteSyntax().IsMatch(text) || text is "NaN" or "Infinity" or "-Infinity" or "+Infinity")
            throw Error($"expected a finite number{range}, got {SpecText.Quote(text)}");
        if (!FloatSyntax().IsMatch(text)
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw Error($"expected a number{range}, got {SpecText.Quote(text)}");
        if (!double.IsFinite(v))
            throw Error($"{text} is too large (expected a finite number{range})");
        if (v < min || v > max || (exclusiveMin && v <= min))
            throw Error($"{text} is out of range (expected a number{range})");
        return v;
    }

    /// <summary>
    /// Parses an expression; a syntax error is reported at the file column of the offending character when
    /// the scalar sits on one line (plain, or quoted: one more for the opening quote), else at the scalar.
    /// </summary>
    public Expr AsExpression(IReadOnlyList<string> variables)
    {
        if (Node is not YamlScalarNode s || IsNull) throw Error($"expected an expression such as sin(pi*x), got {Describe()}");
        string text = s.Value ?? "";
        try
        {
            return ExpressionParser.Parse(text, variables);
        }
        catch (ExpressionException e)
        {
            long column = Node.Start.Column;
            bool oneLine = Node.Start.Line == Node.End.Line;
            if (oneLine && s.Style is ScalarStyle.Plain or ScalarStyle.Any) column += e.Position;
            else if (oneLine && s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) column += 1 + e.Position;
            throw new SpecException(File, Node.Start.Line, column, Path, $"invalid expression: {e.Message}");
        }
    }

    /// <summary>A short description of what the node is, for "expected X, got Y".</summary>
    public string Describe() => Node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode when IsNull => "nothing (null)",
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } q => $"the quoted text {SpecText.Quote(q.Value)}",
        YamlScalarNode q => SpecText.Quote(q.Value),
        _ => "an unsupported YAML node",
    };

    /// <summary>Numbers must be unquoted: a quoted "5" is text in YAML, and accepting it would hide typos.</summary>
    private string PlainScalar(string expected)
    {
        if (Node is not YamlScalarNode s || IsNull || s.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            throw Error($"expected {expected}, got {Describe()}");
        return s.Value ?? "";
    }

    private static string RangeText(double min, double max)
    {
        bool hasMin = min > int.MinValue, hasMax = max < int.MaxValue && max < double.MaxValue;
        if (hasMin && hasMax) return $" in [{Fmt(min)}, {Fmt(max)}]";
        if (hasMin) return $" >= {Fmt(min)}";
        if (hasMax) return $" <= {Fmt(max)}";
        return "";
    }

    private static string Fmt(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[+-]?[0-9]+$")]
    private static partial Regex IntegerSyntax();

    [GeneratedRegex(@"^[+-]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][+-]?[0-9]+)?$")]
    private static partial Regex FloatSyntax();

    [GeneratedRegex(@"^[+-]?\.(inf|Inf|INF|nan|NaN|NAN)$")]
    private static partial Regex NonFiniteSyntax();
}

/// <summary>
/// A mapping whose keys were checked against the allowed set; fields are looked up by name and a missing
/// required field is reported at the mapping itself.
/// </summary>
internal sealed class SpecMapping
{
    private readonly Dictionary<string, SpecNode> _fields = new();
    private readonly Dictionary<string, SpecNode> _keys = new();

    public SpecMapping(SpecNode self, YamlMappingNode mapping, IReadOnlyCollection<string> allowedKeys)
    {
        Self = self;
        foreach (var (keyNode, value) in mapping.Children)
        {
            var keyAt = new SpecNode(keyNode, self.Path, self.File);
            if (keyNode is not YamlScalarNode { Value: { } key } || keyAt.IsNull)
                throw keyAt.Error($"expected a field name, got {keyAt.Describe()}");
            string path = Join(self.Path, key);
            if (!allowedKeys.Contains(key))
                throw new SpecNode(keyNode, path, self.File).Error(
                    $"unknown field {SpecText.Quote(key)} (expected one of: {string.Join(", ", allowedKeys)})");
            _fields[key] = new SpecNode(value, path, self.File);
            _keys[key] = new SpecNode(keyNode, path, self.File);
        }
    }

    public SpecNode Self { get; }

    public IEnumerable<string> Keys => _fields.Keys;

    public SpecNode? Optional(string key) =>
        _fields.TryGetValue(key, out var n) && !n.IsNull ? n : null;

    public SpecNode Required(string key, string? hint = null)
    {
        if (_fields.TryGetValue(key, out var n))
        {
            if (n.IsNull) throw n.Error($"missing value{(hint is null ? "" : $"; expected {hint}")}");
            return n;
        }
        throw new SpecException(Self.File, Self.Node.Start.Line, Self.Node.Start.Column, Join(Self.Path, key),
            $"required field is missing{(hint is null ? "" : $"; expected {hint}")}");
    }

    /// <summary>Path of a child field (also for fields that are absent).</summary>
    public string PathOf(string key) => Join(Self.Path, key);

    /// <summary>Raises an error for the first present key among <paramref name="keys"/>.</summary>
    public void Forbid(IEnumerable<string> keys, string reason)
    {
        foreach (var k in keys)
            if (_keys.TryGetValue(k, out var n))
                throw n.Error($"not allowed here: {reason}");
    }

    private static string Join(string parent, string key) => parent == SpecLoader.RootPath ? key : $"{parent}.{key}";
}
