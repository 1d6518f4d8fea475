using ScottPlot;
using SkiaSharp;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Serves one font family from in-memory TrueType data, so figures never depend on what fonts
/// (if any) the operating system has installed.
/// </summary>
internal sealed class BundledFontResolver(string family, SKData regular, SKData? bold) : IFontResolver
{
    /// <summary>Family name this resolver answers to.</summary>
    public string Family { get; } = family;

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic)
    {
        if (!string.Equals(fontName, Family, StringComparison.OrdinalIgnoreCase)) return null;
        // A fresh typeface per request: ScottPlot may dispose what it is handed, the SKData stays alive here.
        return SKTypeface.FromData(bold && BoldData is not null ? BoldData : regular);
    }

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
        CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);

    private SKData? BoldData { get; } = bold;
}
