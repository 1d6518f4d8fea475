using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using static TorchSharp.torch;

namespace Kan.Pde.Runner.Spec;

/// <summary>
/// Reads a YAML solve spec (see problems-yaml/poisson-2d.yaml) into a validated <see cref="SolveSpec"/>.
/// Every problem, from a YAML syntax error to an out-of-range number, becomes a <see cref="SpecException"/>
/// naming the file, line, column and field; no other exception type escapes <see cref="Parse"/>.
/// </summary>
public static partial class SpecLoader
{
    /// <summary>Largest number of points any sampler or the evaluation mesh may ask for; checked before allocating.</summary>
    public const long MaxPoints = 5_000_000;

    /// <summary>Spec files are small; anything larger is a mistake, and refusing it bounds the parsing work.</summary>
    public const int MaxFileChars = 1_000_000;

    /// <summary>Deeper YAML nesting than this is refused before building the node tree (which recurses).</summary>
    private const int MaxYamlNesting = 32;

    internal const string RootPath = "(root)";
    private const string YamlPath = "(yaml)";

    private static readonly string[] RootKeys =
        { "name", "problem", "model", "collocation", "loss", "schedule", "evaluation", "restarts", "dtype", "device", "seed", "threads", "output",
          "interpret", "checkpoint", "on_divergence", "divergence" };

    /// <summary>Reads and validates the spec file at <paramref name="path"/>.</summary>
    /// <exception cref="SpecException">The file cannot be read or the spec is invalid.</exception>
    public static SolveSpec Load(string path) => Parse(ReadSpecFile(path), path);

    /// <summary>The text of a spec file; unreadable or oversized files become a <see cref="SpecException"/>.</summary>
    private static string ReadSpecFile(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > 4L * MaxFileChars)
                throw new SpecException(path, 1, 1, RootPath, $"file is too large ({info.Length} bytes); a spec has at most {MaxFileChars} characters");
            text = File.ReadAllText(path);
        }
        catch (SpecException) { throw; }
        catch (Exception e)
        {
            throw new SpecException(path ?? "", 1, 1, RootPath, $"cannot read the spec file: {e.Message}");
        }
        return text;
    }

    /// <summary>Validates spec text; <paramref name="fileName"/> is only used in messages.</summary>
    /// <exception cref="SpecException">The spec is invalid.</exception>
    public static SolveSpec Parse(string yamlText, string fileName)
    {
        fileName ??= "<spec>";
        try
        {
            var root = LoadRoot(yamlText ?? "", fileName);
            return ReadSolve(root);
        }
        catch (SpecException) { throw; }
        catch (Exception e)
        {
            // A last guard so that callers (and fuzzers) only ever see SpecException; reaching it is a bug.
            throw new SpecException(fileName, 1, 1, RootPath, $"internal error while reading the spec ({e.GetType().Name}: {e.Message})");
        }
    }

    private static SpecNode LoadRoot(string text, string file)
    {
        SpecException At(long line, long column, string problem) => new(file, line, column, YamlPath, problem);

        if (text.Length > MaxFileChars)
            throw At(1, 1, $"the spec has {text.Length} characters; at most {MaxFileChars} are accepted");
        CheckCharacters(text, file);

        var stream = new YamlStream();
        try
        {
            CheckNesting(text, file);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw At(e.Start.Line, e.Start.Column, $"invalid YAML: {YamlMessage(e)}");
        }
        catch (Exception e) when (e is not SpecException)
        {
            throw At(1, 1, $"invalid YAML (the YAML reader failed: {e.Message})");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is null)
            throw new SpecException(file, 1, 1, RootPath,
                "the spec is empty; expected a mapping with at least name, problem, model, collocation and schedule");
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            throw At(second.Start.Line, second.Start.Column, $"expected one YAML document, found {stream.Documents.Count}");
        }
        var root = new SpecNode(stream.Documents[0].RootNode, RootPath, file);
        if (root.IsNull)
            throw root.Error("the spec is empty; expected a mapping with at least name, problem, model, collocation and schedule");
        return root;
    }

    /// <summary>
    /// Refuses tabs in indentation (YAML forbids them; say so plainly instead of relaying a scanner error) and
    /// characters YAML does not allow at all, such as NUL, on which YamlDotNet's reader misbehaves.
    /// </summary>
    private static void CheckCharacters(string text, string file)
    {
        int line = 1, column = 1;
        bool inIndent = true;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                column = 1;
                inIndent = true;
                continue;
            }
            if (inIndent && c == '\t')
                throw new SpecException(file, line, column, YamlPath, "tab character in indentation; YAML indentation must use spaces");
            bool pairedSurrogate = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if ((char.IsControl(c) && c is not ('\t' or '\r' or '\u0085')) || c is '\uFFFE' or '\uFFFF'
                || (char.IsSurrogate(c) && !pairedSurrogate && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]))))
                throw new SpecException(file, line, column, YamlPath, $"character U+{(int)c:X4} is not allowed in YAML");
            if (c != ' ' && c != '-' && c != '\r') inIndent = false;
            column++;
        }
    }

    /// <summary>Streams the events once to bound nesting depth: the node tree is built recursively.</summary>
    private static void CheckNesting(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        Mark last = Mark.Empty;
        while (true)
        {
            try
            {
                if (!parser.MoveNext()) break;
            }
            catch (YamlException) { throw; }
            catch (Exception e)
            {
                // YamlDotNet's scanner fails on some inputs (e.g. an unclosed [ before a new key) without a
                // YamlException and without a position; the last event it did read is the closest location we have.
                throw new SpecException(file, Math.Max(1, last.Line), Math.Max(1, last.Column), YamlPath,
                    $"invalid YAML after this point (unclosed bracket or quote?): {e.Message}");
            }
            last = parser.Current!.End;
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > MaxYamlNesting)
                        throw new SpecException(file, parser.Current.Start.Line, parser.Current.Start.Column, YamlPath,
                            $"YAML nested more than {MaxYamlNesting} levels deep");
                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>YamlDotNet prefixes messages with "(Line: .., Col: .., Idx: ..) - (...): "; the location is already in ours.</summary>
    private static string YamlMessage(YamlException e)
    {
        string m = LocationPrefix().Replace(e.Message, "");
        return string.IsNullOrWhiteSpace(m) ? "syntax error" : m.Trim();
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();

    [GeneratedRegex(@"^[A-Za-z0-9._-]+$")]
    private static partial Regex NameSyntax();

    [GeneratedRegex(@"^(cpu|cuda|cuda:[0-9]{1,3})$")]
    private static partial Regex DeviceSyntax();

    /// <summary>True when collocation points or loss weights change during training.</summary>
    internal static bool UsesAdaptiveTraining(CollocationSpec c, LossSpec loss) =>
        c.ResampleEvery is not null || c.Adaptive is not null || c.PointWeights is not null || loss.Balancing is not null;

    private static SolveSpec ReadSolve(SpecNode rootNode) => ReadSolve(rootNode.AsMapping(RootKeys), rootNode.File, readModels: null);

    /// <summary>
    /// Reads every root field. A solve spec has one required <c>model</c>; a compare spec passes
    /// <paramref name="readModels"/>, which reads its models (the spec's <c>model</c> among them or not) and returns the
    /// one that stands in the returned spec; its schedule may then hold KAN-only keys whatever that model is.
    /// </summary>
    private static SolveSpec ReadSolve(SpecMapping root, string file, Func<ProblemSpec, ModelSpec>? readModels)
    {
        var nameNode = root.Required("name", "a run name made of letters, digits, '.', '_' and '-'");
        string name = nameNode.AsString();
        if (!NameSyntax().IsMatch(name) || name.All(c => c == '.'))
            throw nameNode.Error($"invalid name {SpecText.Quote(name)}; expected letters, digits, '.', '_' and '-' only (it names the output folder)");

        var problem = ReadProblem(root.Required("problem", "a mapping with family, domain and boundary"));
        int dim = problem.Dimension;
        var modelNode = readModels is null ? root.Required("model", "a mapping with type and widths") : null;
        var model = readModels is null ? ReadModel(modelNode!, dim, problem.Definition, problem.Variables) : readModels(problem);
        var collocationNode = root.Required("collocation", "a mapping with interior and boundary samplers");
        var collocation = ReadCollocation(collocationNode, dim, problem.Definition.LossTermNames);
        var loss = ReadLoss(root.Optional("loss"), problem.Definition.LossTermNames);
        var schedule = ReadSchedule(root.Required("schedule", "a list of training stages"),
            kanStageKeys: readModels is not null || model.Type == ModelType.Kan);
        var evaluationNode = root.Optional("evaluation");
        var evaluation = ReadEvaluation(evaluationNode, problem);
        var restarts = ReadRestarts(root.Optional("restarts"), schedule[0]);
        var interpret = ReadInterpret(root.Optional("interpret"), model);

        var dtype = root.Optional("dtype")?.AsChoice("float64", "float32") switch
        {
            "float32" => ScalarType.Float32,
            _ => ScalarType.Float64,
        };
        // A compare spec checks each of its models once they are all read (ReadCompare).
        if (modelNode is not null) CheckMemory(modelNode, collocationNode, evaluationNode, problem, model, collocation, schedule, evaluation, dtype);

        string device = "cpu";
        if (root.Optional("device") is { } deviceNode)
        {
            device = deviceNode.AsString();
            if (!DeviceSyntax().IsMatch(device))
                throw deviceNode.Error($"unsupported device {SpecText.Quote(device)} (expected cpu, cuda or cuda:N)");
        }

        int seed = root.Optional("seed")?.AsInt(min: 0) ?? 0;
        int? threads = root.Optional("threads")?.AsInt(min: 1, max: 4096);

        string output = $"results/{name}";
        if (root.Optional("output") is { } outputNode)
        {
            output = outputNode.AsString();
            if (output.Trim().Length == 0 || output.Any(char.IsControl))
                throw outputNode.Error("expected a folder path without control characters");
        }

        var checkpoint = ReadCheckpoint(root.Optional("checkpoint"));
        if (checkpoint is not null && UsesAdaptiveTraining(collocation, loss))
            throw root.Required("checkpoint").Error(
                "checkpoints do not capture the state of adaptive training yet (resample_every, adaptive, point_weights, balancing); drop one of them");
        var divergence = ReadDivergence(root.Optional("on_divergence"), root.Optional("divergence"));

        return new SolveSpec(name, problem, model, collocation, loss, schedule, evaluation, dtype, device, seed, threads, output,
            file) { Restarts = restarts, Interpret = interpret, Checkpoint = checkpoint, Divergence = divergence };
    }
}
