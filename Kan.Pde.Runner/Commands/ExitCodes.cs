namespace Kan.Pde.Runner.Commands;

/// <summary>Process exit codes (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Finished normally.</summary>
    public const int Success = 0;
    /// <summary>Unexpected internal error.</summary>
    public const int InternalError = 1;
    /// <summary>Bad input: command line, spec file, expression.</summary>
    public const int BadInput = 2;
    /// <summary>Training diverged (NaN/Inf in a loss term or gradient, or an exploding loss).</summary>
    public const int Diverged = 3;

    /// <summary>Stopped by Ctrl-C or SIGTERM after writing a checkpoint (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>The code a failure with <paramref name="e"/> ends the process with.</summary>
    public static int For(Exception e) => e switch
    {
        UsageException or Spec.SpecException => BadInput,
        Kan.Pde.Core.Training.TrainingDivergedException => Diverged,
        Checkpoints.TrainingInterruptedException => Interrupted,
        _ => InternalError,
    };
}
