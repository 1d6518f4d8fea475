using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Writes <c>formula.txt</c> (the tidy formula, its error, and the full-precision formula), <c>formula.tex</c> (LaTeX) and
/// <c>interpretation.json</c> (everything in <see cref="InterpretationReport"/>) from an interpretation report.
/// </summary>
public static class FormulaFiles
{
    /// <summary>File names.</summary>
    public const string TextFile = "formula.txt", LatexFile = "formula.tex", JsonFile = "interpretation.json";

    /// <summary>The three files as extra files of a results folder.</summary>
    public static IReadOnlyList<ExtraFile> For(InterpretationReport report) => new[]
    {
        new ExtraFile(TextFile, path => File.WriteAllText(path, Text(report))),
        new ExtraFile(LatexFile, path => File.WriteAllText(path, Latex(report))),
        new ExtraFile(JsonFile, path => File.WriteAllText(path, JsonSerializer.Serialize(report, MetricsJson.Options) + "\n")),
    };

    /// <summary>Contents of formula.txt.</summary>
    public static string Text(InterpretationReport r)
    {
        var sb = new StringBuilder();
        string lhs = $"{r.Output}({string.Join(", ", r.Variables)})";
        if (r.Formula is null)
        {
            sb.AppendLine($"no formula: {r.SplineEdges.Count} edge(s) are still splines: {string.Join(" ", r.SplineEdges)}");
            sb.AppendLine("(lower interpret.min_r2 or give those layers snap functions)");
            return sb.ToString();
        }
        sb.AppendLine($"{lhs} = {r.Formula}");
        sb.AppendLine($"relative L2 vs the exact solution on the evaluation mesh: {Number(r.FormulaRelativeL2)}");
        sb.AppendLine($"(constants to {r.Digits} significant digits or named multiples of pi; summands below {Number(r.DropBelow)} of their sum dropped)");
        sb.AppendLine();
        sb.AppendLine("full precision (the retrained network as a formula):");
        sb.AppendLine($"{lhs} = {r.FullFormula}");
        sb.AppendLine($"relative L2 vs the exact solution on the evaluation mesh: {Number(r.FullFormulaRelativeL2)}");
        return sb.ToString();
    }

    /// <summary>Contents of formula.tex: one equation.</summary>
    public static string Latex(InterpretationReport r)
    {
        if (r.FormulaLatex is null) return "% no formula: some edges are still splines\n";
        return $"% {r.Name}: KAN formula ({r.Digits} significant digits), relative L2 vs exact {Number(r.FormulaRelativeL2)}\n" +
               $"\\begin{{equation}}\n  {r.Output}({string.Join(", ", r.Variables)}) = {r.FormulaLatex}\n\\end{{equation}}\n";
    }

    private static string Number(double v) => double.IsFinite(v) ? v.ToString("E3", CultureInfo.InvariantCulture) : "n/a";
}
