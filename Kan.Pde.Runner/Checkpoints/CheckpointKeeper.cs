using System.Diagnostics;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using Kan.Pde.Core.Training.Checkpoints;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Checkpoints;

/// <summary>
/// Listens to a trainer's resume points and keeps the run recoverable: writes checkpoint files on the spec's schedule
/// (every N steps, every M minutes, at every grid change) and, for rollbacks, keeps the last good state in memory.
/// A resume point only comes after the step's observers (the divergence guard among them) have passed it, so every
/// state kept here is good. When an interrupt was requested it writes a checkpoint and stops the run.
/// </summary>
public sealed class CheckpointKeeper
{
    private readonly INetwork _network;
    private readonly IPdeProblem _problem;
    private readonly CheckpointFolder? _folder;
    private readonly CheckpointSpec? _cadence;
    private readonly int? _memoryEverySteps;
    private readonly Func<string, CheckpointInfo> _info;
    private readonly Func<CheckpointFolder> _interruptFolder;
    private readonly Stopwatch _sinceWrite = Stopwatch.StartNew();

    /// <summary>Creates a keeper.</summary>
    /// <param name="network">The network being trained.</param>
    /// <param name="problem">The problem (its own parameters are part of the state).</param>
    /// <param name="folder">Where to write files, or null for none.</param>
    /// <param name="cadence">When to write files.</param>
    /// <param name="memoryEverySteps">Keep a state in memory every this many steps and at stage starts (for rollbacks), or null.</param>
    /// <param name="info">The run information for a checkpoint written for the given reason.</param>
    /// <param name="interruptFolder">Where an interrupt's checkpoint goes when no folder is configured.</param>
    public CheckpointKeeper(INetwork network, IPdeProblem problem, CheckpointFolder? folder, CheckpointSpec? cadence, int? memoryEverySteps,
        Func<string, CheckpointInfo> info, Func<CheckpointFolder> interruptFolder)
    {
        _network = network;
        _problem = problem;
        _folder = folder;
        _cadence = cadence;
        _memoryEverySteps = memoryEverySteps;
        _info = info;
        _interruptFolder = interruptFolder;
    }

    /// <summary>The most recent good state kept in memory (or written), or null.</summary>
    public Checkpoint? LastGood { get; private set; }

    /// <summary>The most recent file written, or null.</summary>
    public string? LastWritten { get; private set; }

    /// <summary>Set (from a signal handler) to stop at the next resume point with a checkpoint.</summary>
    public volatile bool InterruptRequested;

    /// <summary>Called after each file is written: the file, the reason and the step.</summary>
    public event Action<string, string, int>? Written;

    /// <summary>Handles one resume point.</summary>
    public void OnResumePoint(TrainingCursor cursor)
    {
        if (InterruptRequested)
        {
            var folder = _folder ?? _interruptFolder();
            string file = Save(folder, cursor, "interrupt");
            throw new TrainingInterruptedException(cursor.Step, file);
        }
        string? reason = null;
        if (_folder is not null && _cadence is not null)
        {
            if (cursor.AtStageStart && cursor.GridChanged) reason = "grid_change";
            else if (!cursor.AtStageStart && _cadence.EverySteps is int n && cursor.Step % n == 0) reason = "periodic";
            else if (_cadence.EveryMinutes is double m && _sinceWrite.Elapsed.TotalMinutes >= m) reason = "periodic";
        }
        if (reason is not null)
        {
            Save(_folder!, cursor, reason);
            return;
        }
        if (_memoryEverySteps is int every && (cursor.AtStageStart || cursor.Step % every == 0))
            LastGood = new Checkpoint(TrainingState.Capture(cursor, _network, _problem), _info("memory"));
    }

    private string Save(CheckpointFolder folder, TrainingCursor cursor, string reason)
    {
        var checkpoint = new Checkpoint(TrainingState.Capture(cursor, _network, _problem), _info(reason));
        string file = folder.Save(checkpoint);
        LastGood = checkpoint;
        LastWritten = file;
        _sinceWrite.Restart();
        Written?.Invoke(file, reason, cursor.Step);
        return file;
    }
}

/// <summary>The run was stopped on request (Ctrl-C or SIGTERM) after writing a checkpoint.</summary>
public sealed class TrainingInterruptedException(int step, string checkpoint)
    : Exception($"interrupted before step {step}; checkpoint written to {checkpoint}; continue with --resume")
{
    /// <summary>The next step the run would have taken.</summary>
    public int Step { get; } = step;

    /// <summary>The checkpoint file written.</summary>
    public string Checkpoint { get; } = checkpoint;
}
