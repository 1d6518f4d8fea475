using System.Globalization;
using System.Text;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Log-scale support. ScottPlot 5 has no logarithmic axis type; the idiom is to plot log10 of the data
/// and give the axis integer-decade ticks labelled as powers of ten, with log-spaced minor ticks.
/// </summary>
internal static class LogTicks
{
    /// <summary>Tick generator for an axis whose coordinates are log10 of the displayed quantity.</summary>
    public static ITickGenerator Decades() => new NumericAutomatic
    {
        IntegerTicksOnly = true,
        LabelFormatter = PowerOfTen,
        MinorTickGenerator = new LogMinorTickGenerator(),
    };

    /// <summary>Formats a decade exponent as "10⁻³" (integers only; other values fall back to plain numbers).</summary>
    public static string PowerOfTen(double exponent)
    {
        double rounded = Math.Round(exponent);
        if (Math.Abs(exponent - rounded) > 1e-9) return Math.Pow(10, exponent).ToString("G3", CultureInfo.InvariantCulture);
        if (rounded == 0) return "1";
        var sb = new StringBuilder("10");
        foreach (char c in ((long)rounded).ToString(CultureInfo.InvariantCulture))
            sb.Append(c == '-' ? '\u207B' : Superscript(c));
        return sb.ToString();
    }

    /// <summary>log10 of each value, or NaN where the value is not positive and finite.</summary>
    public static double Log10OrNaN(double v) => v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN;

    private static char Superscript(char digit) => digit switch
    {
        '1' => '\u00B9',
        '2' => '\u00B2',
        '3' => '\u00B3',
        _ => (char)('\u2070' + (digit - '0')),
    };
}
