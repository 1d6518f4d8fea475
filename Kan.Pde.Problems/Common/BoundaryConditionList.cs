namespace Kan.Pde.Problems.Common;

/// <summary>One entry of a spec's boundary list: the parts it covers and its own fields.</summary>
/// <param name="Parts">Boundary part names covered (e.g. "x-min"), expanded from "all".</param>
/// <param name="Section">The entry, for the family to read its values from.</param>
public sealed record BoundaryEntry(IReadOnlyList<string> Parts, IProblemSection Section);

/// <summary>
/// Reads a list of boundary conditions <c>- {on: PART | [PART, …] | all, …}</c> and checks coverage: every
/// part a family requires is covered exactly once, and no condition names a part the domain lacks or the
/// family does not allow.
/// </summary>
public static class BoundaryConditionList
{
    /// <summary>The word for every allowed part.</summary>
    public const string All = "all";

    /// <summary>
    /// Reads <paramref name="key"/> of <paramref name="problem"/>. <paramref name="required"/> must each be covered once;
    /// <paramref name="optional"/> may be covered (e.g. a time-dependent problem's final-time face). "all" means the required ones.
    /// </summary>
    public static IReadOnlyList<BoundaryEntry> Read(IProblemSection problem, string key, IReadOnlyCollection<string> entryKeys,
        IReadOnlyList<string> required, IReadOnlyCollection<string>? optional = null)
    {
        optional ??= Array.Empty<string>();
        var allowed = required.Concat(optional).ToArray();
        string choices = $"{All}, {string.Join(", ", allowed)}";
        var keys = new[] { "on" }.Concat(entryKeys).ToArray();
        var entries = problem.Sections(key, keys);
        if (entries.Count == 0) throw problem.Error(key, $"expected at least one condition, e.g. - {{on: all, ...}}");
        var coveredBy = new Dictionary<string, string>();
        var result = new List<BoundaryEntry>();
        foreach (var entry in entries)
        {
            var names = entry.Texts("on");
            var parts = new List<string>();
            foreach (var name in names)
            {
                if (name == All) parts.AddRange(required);
                else if (allowed.Contains(name)) parts.Add(name);
                else throw entry.Error("on", $"unknown boundary part '{name}' (expected one of: {choices})");
            }
            foreach (var part in parts)
            {
                if (coveredBy.TryGetValue(part, out var earlier))
                    throw entry.Error("on", $"boundary part {part} is already covered by {earlier}; every part needs exactly one condition");
                coveredBy[part] = entry.Path;
            }
            result.Add(new BoundaryEntry(parts, entry));
        }
        var missing = required.Where(p => !coveredBy.ContainsKey(p)).ToArray();
        if (missing.Length > 0)
            throw problem.Error(key, $"no condition for boundary part(s) {string.Join(", ", missing)}; every part needs exactly one (or use on: all)");
        return result;
    }
}
