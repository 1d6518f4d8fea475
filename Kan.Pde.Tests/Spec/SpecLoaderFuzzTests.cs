using System.Text;
using System.Text.RegularExpressions;
using Kan.Pde.Runner.Spec;
using NUnit.Framework;

namespace Kan.Pde.Tests.Spec;

/// <summary>
/// Randomly damaged specs must only ever produce <see cref="SpecException"/> (or load): no crash, no other
/// exception type, no multi-line message, and never the loader's internal-error guard.
/// </summary>
public class SpecLoaderFuzzTests
{
    private const string File = "fuzz.yaml";

    private static readonly string[] Extremes =
        { "-1", "0", "1e309", "-1e309", ".nan", ".inf", "99999999999", "2.5", "''", "~", "[]", "{}", "[1, [2]]", "&a 1", "*a", "!!str", "sinn(x)", "((", "\"" };

    internal const string Noise = "[]{}:,-#'\"\t\n|>&*!%@?`\\ 0123456789.eExyzπ\u0000\u2028";

    [Test]
    public void MutatedExampleOnlyThrowsSpecException([Values(1, 2, 3)] int seed)
    {
        var rng = new Random(seed);
        string original = SpecExample.Text.Replace("\r\n", "\n");
        int loaded = 0, rejected = 0;
        for (int run = 0; run < 200; run++)
        {
            string text = original;
            int mutations = 1 + rng.Next(3);
            for (int m = 0; m < mutations; m++) text = Mutate(text, rng);
            if (TryParse(text)) loaded++;
            else rejected++;
        }
        // Sanity: the mutations must actually break most specs, yet some stay valid.
        Assert.That(rejected, Is.GreaterThan(100));
        TestContext.Out.WriteLine($"seed {seed}: {loaded} loaded, {rejected} rejected");
    }

    [Test]
    public void RandomTextOnlyThrowsSpecException()
    {
        var rng = new Random(11);
        for (int run = 0; run < 300; run++)
        {
            var sb = new StringBuilder();
            int length = rng.Next(60);
            for (int i = 0; i < length; i++) sb.Append(Noise[rng.Next(Noise.Length)]);
            TryParse(sb.ToString());
        }
        TryParse(new string('-', 10_000));
        TryParse(new string('{', 100_000));
        TryParse("a: " + string.Concat(Enumerable.Repeat("- ", 5000)));
        TryParse(string.Concat(Enumerable.Range(0, 2000).Select(i => new string(' ', i) + "k:\n")));
    }

    private static bool TryParse(string text)
    {
        try
        {
            SpecLoader.Parse(text, File);
            return true;
        }
        catch (SpecException e)
        {
            Assert.That(e.Message, Does.StartWith(File + ":"), Show(text));
            Assert.That(e.Message, Does.Not.Contain("\n").And.Not.Contain("\r"), Show(text));
            Assert.That(e.Message, Does.Not.Contain("internal error"), Show(text));
            Assert.That(e.Line, Is.GreaterThanOrEqualTo(1));
            Assert.That(e.Column, Is.GreaterThanOrEqualTo(1));
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name}: {e.Message} for input:\n{Show(text)}");
            return false;
        }
    }

    private static string Show(string text) => text.Length > 2000 ? text[..2000] + "..." : text;

    internal static string Mutate(string text, Random rng)
    {
        var lines = text.Split('\n').ToList();
        switch (rng.Next(8))
        {
            case 0: // delete a line
                lines.RemoveAt(rng.Next(lines.Count));
                return string.Join("\n", lines);
            case 1: // duplicate a line
            {
                int i = rng.Next(lines.Count);
                lines.Insert(i, lines[i]);
                return string.Join("\n", lines);
            }
            case 2: // swap two lines
            {
                int i = rng.Next(lines.Count), j = rng.Next(lines.Count);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                return string.Join("\n", lines);
            }
            case 3: // insert a random character
            {
                int at = rng.Next(text.Length + 1);
                return text.Insert(at, Noise[rng.Next(Noise.Length)].ToString());
            }
            case 4: // delete a character
                return text.Length == 0 ? text : text.Remove(rng.Next(text.Length), 1);
            case 5: // swap two values
            {
                var values = Regex.Matches(text, @"(?<=: )[^\s#{}\[\],]+");
                if (values.Count < 2) return text;
                var a = values[rng.Next(values.Count)];
                var b = values[rng.Next(values.Count)];
                if (a.Index == b.Index) return text;
                var (first, second) = a.Index < b.Index ? (a, b) : (b, a);
                return text[..first.Index] + second.Value + text[(first.Index + first.Length)..second.Index] + first.Value
                       + text[(second.Index + second.Length)..];
            }
            case 6: // replace a number with an extreme value
            {
                var numbers = Regex.Matches(text, @"-?\d+(\.\d+)?");
                if (numbers.Count == 0) return text;
                var n = numbers[rng.Next(numbers.Count)];
                return text[..n.Index] + Extremes[rng.Next(Extremes.Length)] + text[(n.Index + n.Length)..];
            }
            default: // truncate
                return text[..rng.Next(text.Length + 1)];
        }
    }
}
