using System.Reflection;
using System.Runtime.CompilerServices;
using SkiaSharp;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Makes plot text render on machines without system fonts.
/// </summary>
/// <remarks>
/// SkiaSharp's Linux "NoDependencies" native build does not use fontconfig; it only scans
/// <c>/usr/share/fonts/</c>. A minimal Debian 12 image has nothing there, and ScottPlot then draws every
/// title, label and tick as empty space. The project ships DejaVu Sans (Bitstream Vera licence, see
/// <c>Fonts/LICENSE-DejaVu.txt</c>) and registers it with ScottPlot, preferring it over system fonts so that
/// figures look identical everywhere. It is looked up, in order, as an embedded resource of this assembly,
/// in a <c>Fonts</c> folder next to the assembly, and in the source tree this file was compiled from.
/// </remarks>
public static class PlotFonts
{
    private const string FamilyName = "DejaVu Sans";
    private const string RegularFile = "DejaVuSans.ttf";
    private const string BoldFile = "DejaVuSans-Bold.ttf";

    private static readonly Lazy<string> s_source = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Font family every figure uses.</summary>
    public static string Family
    {
        get { _ = s_source.Value; return ScottPlot.Fonts.Default; }
    }

    /// <summary>Where the bundled font came from, or "system" when it was not found (diagnostics only).</summary>
    public static string Source => s_source.Value;

    /// <summary>Registers the bundled font once per process; cheap after the first call.</summary>
    public static void EnsureRegistered() => _ = s_source.Value;

    private static string Register()
    {
        var (regular, bold, source) = LoadBundled();
        if (regular is null) return "system";

        var resolver = new BundledFontResolver(FamilyName, regular, bold);
        ScottPlot.Fonts.FontResolvers.Insert(0, resolver);
        ScottPlot.Fonts.Default = FamilyName;
        ScottPlot.Fonts.Sans = FamilyName;
        return source;
    }

    private static (SKData? Regular, SKData? Bold, string Source) LoadBundled()
    {
        var assembly = typeof(PlotFonts).Assembly;
        var regular = FromResource(assembly, RegularFile);
        if (regular is not null) return (regular, FromResource(assembly, BoldFile), "embedded resource");

        foreach (var dir in CandidateDirectories())
        {
            string path = Path.Combine(dir, RegularFile);
            if (!File.Exists(path)) continue;
            string boldPath = Path.Combine(dir, BoldFile);
            return (SKData.Create(path), File.Exists(boldPath) ? SKData.Create(boldPath) : null, path);
        }
        return (null, null, "system");
    }

    private static SKData? FromResource(Assembly assembly, string fileName)
    {
        // Match on the suffix: the logical name depends on how the project file declares the resource.
        string? name = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.EndsWith(fileName, StringComparison.OrdinalIgnoreCase));
        if (name is null) return null;
        using var stream = assembly.GetManifestResourceStream(name);
        return stream is null ? null : SKData.Create(stream);
    }

    private static IEnumerable<string> CandidateDirectories([CallerFilePath] string thisSourceFile = "")
    {
        yield return Path.Combine(AppContext.BaseDirectory, "Fonts");
        // Builds from a checkout still find the font when the project file does not copy or embed it.
        if (Path.GetDirectoryName(thisSourceFile) is { Length: > 0 } sourceDir)
            yield return Path.Combine(sourceDir, "Fonts");
    }
}
