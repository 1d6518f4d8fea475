namespace Kan.Pde.Tests.Spec;

/// <summary>The bundled example spec, found by walking up from the test binaries to the repository root.</summary>
internal static class SpecExample
{
    public const string FileName = "poisson-2d.yaml";

    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "problems-yaml", FileName);
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException($"problems-yaml/{FileName} not found above {AppContext.BaseDirectory}");
        }
    }

    public static string Text => File.ReadAllText(Path);

    /// <summary>The example with the one line equal to <paramref name="line"/> (trimmed comparison) replaced.</summary>
    public static string WithLine(string line, string replacement)
    {
        var lines = Lines();
        int i = IndexOf(lines, line);
        lines[i] = replacement;
        return string.Join("\n", lines);
    }

    /// <summary>The example without the line that starts (after indentation) with <paramref name="line"/>.</summary>
    public static string WithoutLine(string line)
    {
        var lines = Lines();
        lines.RemoveAt(IndexOf(lines, line));
        return string.Join("\n", lines);
    }

    /// <summary>The example with <paramref name="inserted"/> added after the line starting with <paramref name="after"/>.</summary>
    public static string WithLineAfter(string after, string inserted)
    {
        var lines = Lines();
        lines.Insert(IndexOf(lines, after) + 1, inserted);
        return string.Join("\n", lines);
    }

    /// <summary>1-based line number of the line starting (after indentation) with <paramref name="line"/>.</summary>
    public static int LineOf(string line) => IndexOf(Lines(), line) + 1;

    private static List<string> Lines() => Text.Replace("\r\n", "\n").Split('\n').ToList();

    private static int IndexOf(List<string> lines, string start)
    {
        int i = lines.FindIndex(l => l.TrimStart().StartsWith(start.Trim(), StringComparison.Ordinal));
        if (i < 0) throw new ArgumentException($"no line starts with '{start}' in the example");
        return i;
    }
}
