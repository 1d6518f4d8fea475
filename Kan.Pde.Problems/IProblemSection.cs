using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Problems;

/// <summary>
/// A problem family's view of its part of a spec (the <c>problem:</c> mapping and what is nested in it),
/// independent of the file format. Every reader validates type and range; what it cannot accept becomes
/// an exception that names the file, line, column and field path (the runner's spec errors).
/// Keys of a section are checked against the allowed set when the section is opened.
/// </summary>
public interface IProblemSection
{
    /// <summary>Dotted path of this section, e.g. "problem" or "problem.boundary[2]".</summary>
    string Path { get; }

    /// <summary>True when <paramref name="key"/> is present with a non-null value.</summary>
    bool Has(string key);

    /// <summary>A finite number in [min, max]; <paramref name="fallback"/> when absent (required when null).</summary>
    double Number(string key, double? fallback = null, double min = double.MinValue, double max = double.MaxValue);

    /// <summary>An integer in [min, max]; <paramref name="fallback"/> when absent (required when null).</summary>
    int Integer(string key, int? fallback = null, int min = int.MinValue, int max = int.MaxValue);

    /// <summary>One of <paramref name="choices"/>; <paramref name="fallback"/> when absent (required when null).</summary>
    string Choice(string key, string? fallback, params string[] choices);

    /// <summary>true or false; <paramref name="fallback"/> when absent.</summary>
    bool Flag(string key, bool fallback);

    /// <summary>Text; <paramref name="fallback"/> when absent (required when null).</summary>
    string Text(string key, string? fallback = null);

    /// <summary>One text or a list of texts (e.g. <c>on: [x-min, y-max]</c>), required.</summary>
    IReadOnlyList<string> Texts(string key);

    /// <summary>A list of finite numbers, with exactly <paramref name="count"/> items when given; required.</summary>
    IReadOnlyList<double> Numbers(string key, int? count = null);

    /// <summary>An expression in <paramref name="variables"/> (errors point at the offending character); required.</summary>
    Expr Expression(string key, IReadOnlyList<string> variables);

    /// <summary>An expression, or null when absent.</summary>
    Expr? OptionalExpression(string key, IReadOnlyList<string> variables);

    /// <summary>A nested mapping whose keys must be among <paramref name="allowedKeys"/>, or null when absent.</summary>
    IProblemSection? Section(string key, IReadOnlyCollection<string> allowedKeys);

    /// <summary>A required list of mappings, each with keys among <paramref name="allowedKeys"/>.</summary>
    IReadOnlyList<IProblemSection> Sections(string key, IReadOnlyCollection<string> allowedKeys);

    /// <summary>An error located at <paramref name="key"/> (or at this section when the key is absent).</summary>
    Exception Error(string key, string problem);

    /// <summary>An error located at this section.</summary>
    Exception Error(string problem);
}
