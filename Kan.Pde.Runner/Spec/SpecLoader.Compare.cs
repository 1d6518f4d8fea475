using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private const string CompareKey = "compare";
    private static readonly string[] CompareKeys = { "models", "seeds", "step_plot" };
    private static readonly string[] ComparedModelKeys = { "label", "series", "seeds" };

    /// <summary>Root sections that every compared run shares; their canonical text enters each run's configuration.</summary>
    private static readonly string[] SharedSections =
        { "problem", "collocation", "loss", "schedule", "evaluation", "restarts", "dtype", "device", "threads" };

    /// <summary>
    /// Reads a compare spec: a solve spec whose models come from <c>compare.models</c>, from its <c>model</c>, or from
    /// <paramref name="commandLineModels"/> (YAML mappings such as <c>{type: mlp, widths: [2, 10, 1]}</c>, which replace
    /// the spec's models). <paramref name="seeds"/>, when given, replaces every model's seeds.
    /// </summary>
    /// <exception cref="SpecException">The file cannot be read, or the spec or a command-line model is invalid.</exception>
    public static CompareSpec LoadCompare(string path, IReadOnlyList<string>? commandLineModels = null, IReadOnlyList<int>? seeds = null) =>
        ParseCompare(ReadSpecFile(path), path, commandLineModels, seeds);

    /// <summary>Validates compare spec text; <paramref name="fileName"/> is only used in messages.</summary>
    /// <exception cref="SpecException">The spec or a command-line model is invalid.</exception>
    public static CompareSpec ParseCompare(string yamlText, string fileName, IReadOnlyList<string>? commandLineModels = null,
        IReadOnlyList<int>? seeds = null)
    {
        fileName ??= "<spec>";
        try
        {
            return ReadCompare(LoadRoot(yamlText ?? "", fileName), commandLineModels ?? Array.Empty<string>(), seeds);
        }
        catch (SpecException) { throw; }
        catch (Exception e)
        {
            throw new SpecException(fileName, 1, 1, RootPath, $"internal error while reading the spec ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>
    /// True when the file is a YAML mapping with a <c>compare</c> section (a compare spec rather than a solve spec);
    /// false for anything else, including files that do not load (the loaders report why).
    /// </summary>
    public static bool IsCompareSpec(string path)
    {
        try
        {
            return LoadRoot(ReadSpecFile(path), path).Peek(CompareKey) is not null;
        }
        catch (SpecException)
        {
            return false;
        }
    }

    private sealed record ModelEntry(SpecNode Node, ModelSpec Model, string? Label, string? Series, IReadOnlyList<int>? Seeds);

    private static CompareSpec ReadCompare(SpecNode rootNode, IReadOnlyList<string> commandLineModels, IReadOnlyList<int>? seedOverride)
    {
        var root = rootNode.AsMapping(RootKeys.Append(CompareKey).ToArray());
        root.Forbid(["interpret"], "compare trains and reports models; interpret one with 'kan-pde interpret'");
        var compare = root.Optional(CompareKey)?.AsMapping(CompareKeys);
        List<ModelEntry>? entries = null;
        var shared = ReadSolve(root, rootNode.File, problem =>
        {
            entries = ReadModelEntries(root, compare, problem, commandLineModels);
            return entries[0].Model;
        });

        foreach (var e in entries!)
            CheckMemory(e.Node, root.Required("collocation"), root.Optional("evaluation"), shared.Problem, e.Model, shared.Collocation,
                CompareSpec.ScheduleFor(e.Model.Type, shared.Schedule), shared.Evaluation, shared.DType);

        IReadOnlyList<int> defaultSeeds = compare?.Optional("seeds") is { } seedsNode ? ReadSeeds(seedsNode) : new[] { shared.Seed };
        string sharedText = string.Join("\n", SharedSections.Select(k => $"{k}: {(root.Optional(k) is { } n ? Canonical(n.Node) : "~")}"));
        var labels = AssignLabels(entries!);
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var models = entries!.Select((e, i) =>
        {
            string slug = Slug(labels[i]);
            for (int k = 2; !slugs.Add(slug); k++) slug = $"{Slug(labels[i])}-{k}";
            return new ComparedModel(labels[i], slug, e.Model, seedOverride ?? e.Seeds ?? defaultSeeds, e.Series ?? DefaultSeries(e.Model),
                $"{sharedText}\nmodel: {CanonicalRun(e.Node.Node)}");
        }).ToArray();

        var stepPlot = models.Select(m => m.Label).ToArray();
        if (compare?.Optional("step_plot") is { } plotNode)
        {
            var items = plotNode.AsSequence();
            if (items.Count == 0) throw plotNode.Error("expected at least one model label");
            stepPlot = items.Select(item =>
            {
                string label = item.AsString();
                if (!models.Any(m => m.Label == label))
                    throw item.Error($"no model is labelled {SpecText.Quote(label)} (labels: {string.Join("; ", models.Select(m => m.Label))})");
                return label;
            }).Distinct().ToArray();
        }
        return new CompareSpec(shared, models, stepPlot);
    }

    /// <summary>Command-line models replace the spec's; the spec's are validated all the same.</summary>
    private static List<ModelEntry> ReadModelEntries(SpecMapping root, SpecMapping? compare, ProblemSpec problem, IReadOnlyList<string> commandLine)
    {
        var fromSpec = new List<ModelEntry>();
        var listNode = compare?.Optional("models");
        if (root.Optional("model") is { } single)
        {
            if (listNode is not null)
                throw single.Error("a compare spec lists its models either in 'model' or in 'compare.models', not both");
            fromSpec.Add(ReadModelEntry(single, problem, withExtras: false));
        }
        if (listNode is not null)
        {
            var items = listNode.AsSequence();
            if (items.Count == 0) throw listNode.Error("expected at least one model, e.g. - {type: kan, widths: [2, 5, 1]}");
            fromSpec.AddRange(items.Select(item => ReadModelEntry(item, problem, withExtras: true)));
        }

        var fromCommandLine = commandLine.Select((text, i) =>
        {
            var node = LoadRoot(text, $"--model #{i + 1}");
            return ReadModelEntry(new SpecNode(node.Node, "model", node.File), problem, withExtras: true);
        }).ToList();
        if (fromCommandLine.Count > 0) return fromCommandLine;
        if (fromSpec.Count == 0)
            throw new SpecException(root.Self.File, root.Self.Node.Start.Line, root.Self.Node.Start.Column, "compare.models",
                "no models to compare; list them under compare.models, give one 'model', or pass --model on the command line");
        return fromSpec;
    }

    private static ModelEntry ReadModelEntry(SpecNode node, ProblemSpec problem, bool withExtras)
    {
        var model = ReadModel(node, problem.Dimension, problem.Definition, problem.Variables, withExtras ? ComparedModelKeys : null);
        if (!withExtras) return new ModelEntry(node, model, null, null, null);
        var m = node.AsMapping(ModelKeys.Concat(ComparedModelKeys).ToArray());
        string? label = m.Optional("label") is { } labelNode ? ReadLabel(labelNode) : null;
        string? series = m.Optional("series") is { } seriesNode ? ReadLabel(seriesNode) : null;
        var seeds = m.Optional("seeds") is { } seedsNode ? ReadSeeds(seedsNode) : null;
        return new ModelEntry(node, model, label, series, seeds);
    }

    private static string ReadLabel(SpecNode node)
    {
        string text = node.AsString().Trim();
        if (text.Length is 0 or > 80 || !LabelSyntax().IsMatch(text))
            throw node.Error($"invalid label {SpecText.Quote(text)}; expected 1 to 80 letters, digits, spaces and . , _ - + = [ ] ( ) / : ^ *");
        return text;
    }

    private static IReadOnlyList<int> ReadSeeds(SpecNode node)
    {
        var items = node.AsSequence();
        if (items.Count == 0) throw node.Error("expected at least one seed, e.g. [0, 1, 2]");
        var seeds = new List<int>();
        foreach (var item in items)
        {
            int seed = item.AsInt(min: 0);
            if (seeds.Contains(seed)) throw item.Error($"seed {seed} is listed twice");
            seeds.Add(seed);
        }
        return seeds;
    }

    /// <summary>
    /// Given labels are kept; the others are "KAN [2,10,1]" or "MLP [2,10,1] tanh", extended by grid and order where two
    /// KANs would share a name. A label used twice is an error at the later entry.
    /// </summary>
    private static string[] AssignLabels(IReadOnlyList<ModelEntry> entries)
    {
        var basic = entries.Select(e => e.Label ?? BasicLabel(e.Model)).ToArray();
        var labels = entries.Select((e, i) =>
            e.Label ?? (e.Model.Kan is { } kan && basic.Count(b => b == basic[i]) > 1 ? $"{basic[i]} G={kan.Grid} k={kan.Order}" : basic[i])).ToArray();
        for (int i = 0; i < labels.Length; i++)
            if (Array.IndexOf(labels, labels[i]) < i)
                throw entries[i].Node.Error($"two models are labelled {SpecText.Quote(labels[i])}; give this one a distinct 'label'");
        return labels;
    }

    private static string BasicLabel(ModelSpec model)
    {
        string widths = $"[{string.Join(",", model.Widths)}]";
        string separate = model.SeparateOutputs > 0 ? " separate" : "";
        return model.Type == ModelType.Kan ? $"KAN {widths}{separate}" : $"MLP {widths} {model.Mlp!.Activation}{separate}";
    }

    /// <summary>KANs of one width list form a series over grid sizes; MLPs of one depth and activation, over widths.</summary>
    private static string DefaultSeries(ModelSpec model) => (model.Type == ModelType.Kan
        ? $"KAN [{string.Join(",", model.Widths)}]"
        : $"MLP depth {model.Widths.Count - 1} {model.Mlp!.Activation}") + (model.SeparateOutputs > 0 ? " separate" : "");

    /// <summary>"KAN [2,10,1] G=5 k=3" → "kan-2-10-1-g-5-k-3".</summary>
    private static string Slug(string label)
    {
        var sb = new StringBuilder();
        foreach (char c in label.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        string slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "model" : slug;
    }

    /// <summary>
    /// Canonical text of a model entry without the keys that do not change what one run computes (label, series,
    /// seeds): relabelling an entry or adding a seed to it keeps its finished runs.
    /// </summary>
    private static string CanonicalRun(YamlNode entry) => entry is YamlMappingNode m
        ? Canonical(new YamlMappingNode(m.Children.Where(kv => !(kv.Key is YamlScalarNode k && ComparedModelKeys.Contains(k.Value)))))
        : Canonical(entry);

    /// <summary>One-line form of a YAML node that ignores layout and comments: scalars JSON-quoted, keys in file order.</summary>
    private static string Canonical(YamlNode node) => node switch
    {
        YamlScalarNode s => System.Text.Json.JsonSerializer.Serialize(s.Value ?? ""),
        YamlSequenceNode q => "[" + string.Join(",", q.Children.Select(Canonical)) + "]",
        YamlMappingNode m => "{" + string.Join(",", m.Children.Select(kv => $"{Canonical(kv.Key)}:{Canonical(kv.Value)}")) + "}",
        _ => "?",
    };

    [GeneratedRegex(@"^[A-Za-z0-9 .,_\-+=\[\]()/:^*]+$")]
    private static partial Regex LabelSyntax();
}
