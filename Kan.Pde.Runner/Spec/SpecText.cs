using System.Text;

namespace Kan.Pde.Runner.Spec;

/// <summary>Keeps user text inside error messages short and on one line.</summary>
internal static class SpecText
{
    public static string OneLine(string? s)
    {
        if (s is null) return "";
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c == '\n' || c == '\r') sb.Append("\\n");
            else if (c == '\t') sb.Append("\\t");
            else if (char.IsControl(c) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029') sb.Append($"\\u{(int)c:x4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A user-supplied value quoted for a message, cut to a readable length.</summary>
    public static string Quote(string? s)
    {
        s ??= "";
        const int max = 40;
        string shown = OneLine(s.Length > max ? s[..max] + "..." : s);
        return $"'{shown}'";
    }
}
