using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kan.Pde.Core.Training;
using Kan.Pde.Core.Training.Checkpoints;
using static TorchSharp.torch;

namespace Kan.Pde.Runner.Checkpoints;

/// <summary>
/// The checkpoint file format: the magic line <c>KANPDE-CHECKPOINT</c>, a format number, a UTF-8 JSON header
/// (position in the schedule, history, counters, optimizer scalars, run information), the tensors as raw bytes (name,
/// element type, shape, contents), and a SHA-256 of everything before it, so that a damaged or cut file is recognised
/// and never half-read. Every double is stored exactly (JSON numbers in round-trip form, tensors as their bytes).
/// </summary>
public static class CheckpointFile
{
    /// <summary>The extension of checkpoint files.</summary>
    public const string Extension = ".ckpt";

    private const int FormatVersion = 1;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("KANPDE-CHECKPOINT\n");
    private const int HashBytes = 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>The file's bytes.</summary>
    public static byte[] Serialize(Checkpoint checkpoint)
    {
        var (state, info) = checkpoint;
        var tensors = new List<(string Name, TensorData Data)>();
        for (int i = 0; i < state.Network.Parameters.Count; i++) tensors.Add(($"network.parameter.{i}", state.Network.Parameters[i]));
        for (int l = 0; l < state.Network.Grids.Count; l++)
        {
            tensors.Add(($"network.grid.{l}.knots", state.Network.Grids[l].Knots));
            tensors.Add(($"network.grid.{l}.mask", state.Network.Grids[l].Mask));
        }
        for (int i = 0; i < state.ProblemParameters.Count; i++) tensors.Add(($"problem.parameter.{i}", state.ProblemParameters[i]));
        tensors.Add(("rng", state.RandomState));
        var header = new Header
        {
            Format = FormatVersion,
            Program = $"kan-pde {typeof(CheckpointFile).Assembly.GetName().Version?.ToString(3)}",
            Written = DateTime.UtcNow,
            Name = info.Name,
            SpecSha256 = info.SpecSha256,
            Reason = info.Reason,
            Stage = state.Stage,
            StepInStage = state.StepInStage,
            Step = state.Step,
            Evaluations = state.Evaluations,
            Seconds = state.Seconds,
            History = state.History.Select(h => new HistoryEntry(h.Step, h.Stage, h.GridSize, h.TotalLoss, h.Terms.ToDictionary(), h.RelativeL2, h.Seconds, h.Evaluations)).ToList(),
            GridChanges = state.GridChanges.Select(g => new[] { g.Step, g.FromGrid, g.ToGrid }).ToList(),
            NetworkParameters = state.Network.Parameters.Count,
            GridOrders = state.Network.Grids.Select(g => g.Order).ToArray(),
            ProblemParameters = state.ProblemParameters.Count,
            MultiStart = info.MultiStart,
            LearningRateScales = info.LearningRateScales.ToArray(),
            Rollbacks = info.Rollbacks,
        };
        switch (state.Optimizer)
        {
            case LbfgsState l:
                header.Optimizer = "lbfgs";
                header.InverseCurvatures = l.InverseCurvatures.ToArray();
                header.InitialHessianScale = l.InitialHessianScale;
                header.IterationsSinceReset = l.IterationsSinceReset;
                header.Iterations = l.Iterations;
                header.OptimizerEvaluations = l.Evaluations;
                for (int i = 0; i < l.Displacements.Count; i++)
                {
                    tensors.Add(($"lbfgs.s.{i}", l.Displacements[i]));
                    tensors.Add(($"lbfgs.y.{i}", l.GradientChanges[i]));
                }
                if (l.PreviousGradient is { } g) tensors.Add(("lbfgs.previous_gradient", g));
                if (l.LastDisplacement is { } d) tensors.Add(("lbfgs.last_displacement", d));
                break;
            case AdamState a:
                header.Optimizer = "adam";
                header.AdamSteps = a.Steps.ToArray();
                for (int i = 0; i < a.Steps.Count; i++)
                {
                    tensors.Add(($"adam.exp_avg.{i}", a.ExpAvg[i]));
                    tensors.Add(($"adam.exp_avg_sq.{i}", a.ExpAvgSq[i]));
                }
                break;
            default:
                throw new NotSupportedException($"cannot save optimizer state {state.Optimizer.GetType().Name}");
        }

        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
            w.Write(json.Length);
            w.Write(json);
            w.Write(tensors.Count);
            foreach (var (name, data) in tensors)
            {
                data.Validate(name);
                w.Write(name);
                w.Write((int)data.DType);
                w.Write(data.Shape.Length);
                foreach (long d in data.Shape) w.Write(d);
                w.Write(data.Bytes.LongLength);
                w.Write(data.Bytes);
            }
        }
        buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        return buffer.ToArray();
    }

    /// <summary>Reads a checkpoint from its bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an intact checkpoint of this format.</exception>
    public static Checkpoint Deserialize(byte[] bytes)
    {
        if (bytes.Length < Magic.Length + 4 + HashBytes || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("not a kan-pde checkpoint");
        var body = bytes.AsSpan(0, bytes.Length - HashBytes);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
            throw new InvalidDataException("the checkpoint is damaged or incomplete (checksum mismatch)");
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, 0, body.Length), Encoding.UTF8);
            r.ReadBytes(Magic.Length);
            int format = r.ReadInt32();
            if (format != FormatVersion) throw new InvalidDataException($"checkpoint format {format} is not supported (expected {FormatVersion})");
            var header = JsonSerializer.Deserialize<Header>(r.ReadBytes(Length(r.ReadInt32(), r)), Json)
                         ?? throw new InvalidDataException("empty checkpoint header");
            int count = r.ReadInt32();
            if (count < 0 || count > 1_000_000) throw new InvalidDataException($"implausible tensor count {count}");
            var tensors = new Dictionary<string, TensorData>();
            for (int t = 0; t < count; t++)
            {
                string name = r.ReadString();
                var dtype = (ScalarType)r.ReadInt32();
                int rank = r.ReadInt32();
                if (rank < 0 || rank > 16) throw new InvalidDataException($"tensor '{name}': implausible rank {rank}");
                var shape = new long[rank];
                for (int d = 0; d < rank; d++) shape[d] = r.ReadInt64();
                long length = r.ReadInt64();
                var data = new TensorData(dtype, shape, r.ReadBytes(Length(length, r)));
                data.Validate(name);
                tensors[name] = data;
            }
            return ToCheckpoint(header, tensors);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException or NotSupportedException or KeyNotFoundException)
        {
            throw new InvalidDataException($"the checkpoint cannot be read: {e.Message}");
        }
    }

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically: a temporary file in the same folder, flushed to disk, then renamed.</summary>
    public static void Write(string path, Checkpoint checkpoint)
    {
        var bytes = Serialize(checkpoint);
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(path)}.tmp-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { }
            throw;
        }
    }

    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not an intact checkpoint.</exception>
    public static Checkpoint Read(string path) => Deserialize(File.ReadAllBytes(path));

    private static int Length(long length, BinaryReader r)
    {
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"a length of {length} bytes runs past the end of the checkpoint");
        return (int)length;
    }

    private static Checkpoint ToCheckpoint(Header h, Dictionary<string, TensorData> t)
    {
        var parameters = Enumerable.Range(0, h.NetworkParameters).Select(i => t[$"network.parameter.{i}"]).ToArray();
        var grids = h.GridOrders.Select((order, l) => new LayerGridState(order, t[$"network.grid.{l}.knots"], t[$"network.grid.{l}.mask"])).ToArray();
        var problem = Enumerable.Range(0, h.ProblemParameters).Select(i => t[$"problem.parameter.{i}"]).ToArray();
        OptimizerState optimizer = h.Optimizer switch
        {
            "lbfgs" => new LbfgsState(
                Enumerable.Range(0, h.InverseCurvatures!.Length).Select(i => t[$"lbfgs.s.{i}"]).ToArray(),
                Enumerable.Range(0, h.InverseCurvatures.Length).Select(i => t[$"lbfgs.y.{i}"]).ToArray(),
                h.InverseCurvatures, t.GetValueOrDefault("lbfgs.previous_gradient"), t.GetValueOrDefault("lbfgs.last_displacement"),
                h.InitialHessianScale, h.IterationsSinceReset, h.Iterations, h.OptimizerEvaluations),
            "adam" => new AdamState(h.AdamSteps!, Enumerable.Range(0, h.AdamSteps!.Length).Select(i => t[$"adam.exp_avg.{i}"]).ToArray(),
                Enumerable.Range(0, h.AdamSteps.Length).Select(i => t[$"adam.exp_avg_sq.{i}"]).ToArray()),
            _ => throw new InvalidDataException($"unknown optimizer '{h.Optimizer}'"),
        };
        var history = h.History.Select(e => new StepRecord(e.Step, e.Stage, e.Grid, e.Total, e.Terms, e.RelativeL2, e.Seconds, e.Evaluations)).ToArray();
        var changes = h.GridChanges.Select(g => g.Length == 3 ? new GridChange(g[0], g[1], g[2]) : throw new InvalidDataException("bad grid change")).ToArray();
        var state = new TrainingState(h.Stage, h.StepInStage, h.Step, history, changes, h.Evaluations, h.Seconds,
            new NetworkState(parameters, grids), problem, optimizer, t["rng"]);
        return new Checkpoint(state, new CheckpointInfo(h.Name, h.SpecSha256, h.Reason, h.MultiStart, h.LearningRateScales, h.Rollbacks));
    }

    private sealed record HistoryEntry(int Step, int Stage, int Grid, double Total, Dictionary<string, double> Terms, double? RelativeL2,
        double Seconds, long Evaluations);

    private sealed class Header
    {
        public int Format { get; set; }
        public string Program { get; set; } = "";
        public DateTime Written { get; set; }
        public string Name { get; set; } = "";
        public string SpecSha256 { get; set; } = "";
        public string Reason { get; set; } = "";
        public int Stage { get; set; }
        public int StepInStage { get; set; }
        public int Step { get; set; }
        public long Evaluations { get; set; }
        public double Seconds { get; set; }
        public List<HistoryEntry> History { get; set; } = new();
        public List<int[]> GridChanges { get; set; } = new();
        public int NetworkParameters { get; set; }
        public int[] GridOrders { get; set; } = Array.Empty<int>();
        public int ProblemParameters { get; set; }
        public string Optimizer { get; set; } = "";
        public double[]? InverseCurvatures { get; set; }
        public double InitialHessianScale { get; set; }
        public int IterationsSinceReset { get; set; }
        public int Iterations { get; set; }
        public int OptimizerEvaluations { get; set; }
        public long[]? AdamSteps { get; set; }
        public MultiStartInfo? MultiStart { get; set; }
        public double[] LearningRateScales { get; set; } = Array.Empty<double>();
        public int Rollbacks { get; set; }
    }
}
