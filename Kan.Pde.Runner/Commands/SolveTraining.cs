using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Kan.Pde.Core.Training;
using Kan.Pde.Runner.Checkpoints;
using Kan.Pde.Runner.Console;
using Kan.Pde.Runner.Setup;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// The training part of <c>solve</c>: multi-start (or the resumed state), the trainer with its observers (progress,
/// JSON log, divergence guard, checkpoints), and divergence handling: stop with the diagnosis and the last good
/// checkpoint named, or roll back to the last good state with a lower learning rate. Ctrl-C and SIGTERM stop the run
/// at the next step with a checkpoint.
/// </summary>
public sealed class SolveTraining
{
    /// <summary>Everything the training part needs besides the setup.</summary>
    /// <param name="SpecText">The spec's text (its SHA-256 ties checkpoints to the spec).</param>
    /// <param name="OutputDir">The results folder (checkpoints default to its <c>checkpoints/</c> subfolder).</param>
    /// <param name="CheckpointDir">A checkpoint folder chosen on the command line, or null.</param>
    /// <param name="Resume">Continue from the newest checkpoint.</param>
    /// <param name="Quiet">No progress.</param>
    public sealed record Options(string SpecText, string OutputDir, string? CheckpointDir, bool Resume, bool Quiet)
    {
        /// <summary>False to train without checkpoints and without the Ctrl-C/SIGTERM handling (a first training step of another command).</summary>
        public bool Checkpoints { get; init; } = true;
    }

    /// <summary>Trains <paramref name="setup"/>; returns the result with the multi-start's cost included.</summary>
    /// <param name="onStep">A further observer of every step (compare's error tracking), or null.</param>
    public static TrainingResult Run(RunSetup setup, Options options, TextWriter output, JsonLinesLog? log, Action<StepRecord>? onStep = null)
    {
        var spec = setup.Spec;
        var progress = new ProgressDisplay(setup.Schedule.Sum(s => s.Steps), options.Quiet, output == System.Console.Out ? null : output);
        string specHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.SpecText)));
        string defaultFolder = Path.Combine(options.OutputDir, "checkpoints");
        string folderPath = options.CheckpointDir ?? spec.Checkpoint?.Folder ?? defaultFolder;
        // A folder named on the command line, or a resumed run, checkpoints even when the spec does not say when.
        var cadence = !options.Checkpoints ? null
            : spec.Checkpoint ?? (options.CheckpointDir is not null || options.Resume ? CheckpointSpec.Default : null);
        if (cadence is not null && (options.CheckpointDir is not null || options.Resume) && SpecLoader.UsesAdaptiveTraining(spec.Collocation, spec.Loss))
            throw new UsageException($"{spec.SourceFile}: --checkpoints and --resume do not support adaptive training yet " +
                                     "(resample_every, adaptive, point_weights or balancing in the spec)");
        var folder = cadence is null ? null : new CheckpointFolder(folderPath, cadence.Keep);

        Checkpoint? resumed = null;
        if (options.Resume) resumed = LoadForResume(new CheckpointFolder(folderPath, 1), spec, specHash, progress, log);

        var clock = Stopwatch.StartNew();
        MultiStartInfo? multiStart = resumed?.Info.MultiStart;
        if (resumed is null && setup.SelectInitialization() is { } start)
        {
            multiStart = new MultiStartInfo(start.BestIndex, start.TrialLosses, start.Evaluations, clock.Elapsed.TotalSeconds);
            progress.Note($"multi-start: kept candidate {start.BestIndex} of {start.TrialLosses.Count} " +
                          $"(trial losses {string.Join(", ", start.TrialLosses.Select(l => l.ToString("E2")))}; {start.Evaluations} evaluations)");
            log?.Write("multi_start", ("kept", start.BestIndex), ("trial_losses", start.TrialLosses), ("evaluations", start.Evaluations));
        }

        var stages = setup.Schedule;
        var scales = resumed?.Info.LearningRateScales.ToArray() ?? Enumerable.Repeat(1.0, stages.Count).ToArray();
        if (scales.Length != stages.Count) throw new UsageException("--resume: the checkpoint was written for a schedule with a different number of stages");
        int rollbacks = resumed?.Info.Rollbacks ?? 0;
        var divergence = spec.Divergence;
        bool rollback = divergence.Action == DivergenceAction.Rollback && divergence.Rollbacks > 0;

        var trainer = setup.CreateTrainer(setup.Network);
        var guard = new DivergenceGuard(setup.Network.TrainableParameters.Concat(setup.Problem.TrainableParameters).ToArray(), divergence.LossGrowth);
        var keeper = new CheckpointKeeper(setup.Network, setup.Problem, folder, cadence,
            memoryEverySteps: rollback ? cadence?.EverySteps ?? 10 : null,
            info: reason => new CheckpointInfo(spec.Name, specHash, reason, multiStart, scales.ToArray(), rollbacks),
            interruptFolder: () => new CheckpointFolder(folderPath, (spec.Checkpoint ?? CheckpointSpec.Default).Keep));
        keeper.Written += (file, reason, step) =>
            log?.Write("checkpoint", ("step", step), ("reason", reason), ("file", file));
        trainer.StepCompleted += progress.Report;
        if (log is not null) trainer.StepCompleted += log.Step;
        trainer.StepCompleted += guard.Check;
        if (onStep is not null) trainer.StepCompleted += onStep;
        trainer.ResumePoint += keeper.OnResumePoint;

        var from = resumed?.State;
        if (from is not null) guard.Observe(from.History);
        using var signals = !options.Checkpoints ? null : new InterruptSignals(() =>
        {
            keeper.InterruptRequested = true;
            progress.Note("interrupt: stopping after this step with a checkpoint (press again to abort at once)");
        });
        TrainingResult result;
        try
        {
            while (true)
            {
                try
                {
                    result = trainer.Run(Scaled(stages, scales), from);
                    break;
                }
                catch (TrainingDivergedException e)
                {
                    bool canRollBack = rollback && rollbacks < divergence.Rollbacks && keeper.LastGood is not null;
                    log?.Write("divergence", ("step", e.Step), ("term", e.Term), ("detail", e.Detail), ("message", e.Message),
                        ("action", canRollBack ? "rollback" : "stop"));
                    if (!canRollBack)
                    {
                        string where = keeper.LastWritten is { } file ? $"; last good checkpoint: {file} (continue with --resume)"
                            : rollback && rollbacks >= divergence.Rollbacks ? $"; gave up after {rollbacks} rollbacks" : "";
                        throw new TrainingDivergedException(e.Term, e.Step, e.Detail, e.Message + where);
                    }
                    var good = keeper.LastGood!;
                    int stage = StageOf(stages, e.Step);
                    scales[stage] *= divergence.LearningRateFactor;
                    rollbacks++;
                    progress.Note($"{e.Message}: rolled back to step {good.State.Step}; learning rate of stage {stage} × {scales[stage]:G3} " +
                                  $"(rollback {rollbacks} of at most {divergence.Rollbacks})");
                    log?.Write("rollback", ("to_step", good.State.Step), ("stage", stage), ("learning_rate_scale", scales[stage]), ("rollback", rollbacks));
                    from = good.State;
                    guard.Reset();
                    guard.Observe(from.History);
                }
            }
        }
        finally
        {
            progress.EndLine();
        }
        // The trials are part of the cost of this run.
        return multiStart is null ? result
            : result with { Seconds = result.Seconds + multiStart.Seconds, Evaluations = result.Evaluations + multiStart.Evaluations };
    }

    private static Checkpoint? LoadForResume(CheckpointFolder folder, SolveSpec spec, string specHash, ProgressDisplay progress, JsonLinesLog? log)
    {
        var checkpoint = folder.LoadLatest(c => c.Info.SpecSha256 == specHash ? null : "written for a different spec (its SHA-256 differs)",
            out var rejected);
        foreach (var r in rejected) progress.Note($"--resume: skipped {r}");
        if (checkpoint is null)
        {
            if (rejected.Count > 0)
                throw new UsageException($"--resume: no usable checkpoint in {folder.Path} ({rejected[0]})");
            progress.Note($"--resume: no checkpoint in {folder.Path}; starting from the beginning");
            log?.Write("resume", ("folder", folder.Path), ("step", null));
            return null;
        }
        progress.Note($"--resume: continuing from step {checkpoint.State.Step} ({folder.FileFor(checkpoint.State.Step)})");
        log?.Write("resume", ("folder", folder.Path), ("step", checkpoint.State.Step), ("stage", checkpoint.State.Stage));
        return checkpoint;
    }

    private static int StageOf(IReadOnlyList<ScheduleStage> stages, int step)
    {
        int end = 0;
        for (int s = 0; s < stages.Count; s++)
        {
            end += stages[s].Steps;
            if (step < end) return s;
        }
        return stages.Count - 1;
    }

    private static IReadOnlyList<ScheduleStage> Scaled(IReadOnlyList<ScheduleStage> stages, double[] scales) =>
        stages.Select((s, i) => scales[i] == 1 ? s : s with
        {
            Lbfgs = s.Lbfgs is null ? null : s.Lbfgs with { LearningRate = s.Lbfgs.LearningRate * scales[i] },
            Adam = s.Adam is null ? null : s.Adam with { LearningRate = s.Adam.LearningRate * scales[i] },
        }).ToArray();

    /// <summary>Ctrl-C and SIGTERM: the first asks for a clean stop, a second one ends the process as usual.</summary>
    private sealed class InterruptSignals : IDisposable
    {
        private readonly Action _onFirst;
        private readonly List<PosixSignalRegistration> _registrations = new();
        private int _count;

        public InterruptSignals(Action onFirst)
        {
            _onFirst = onFirst;
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            {
                try { _registrations.Add(PosixSignalRegistration.Create(signal, Handle)); }
                catch (PlatformNotSupportedException) { }
            }
        }

        private void Handle(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref _count) > 1) return;   // let the default handling end the process
            context.Cancel = true;
            _onFirst();
        }

        public void Dispose()
        {
            foreach (var r in _registrations) r.Dispose();
        }
    }
}
