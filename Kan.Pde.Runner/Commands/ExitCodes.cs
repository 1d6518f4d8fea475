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
    /// <summary>Training diverged (NaN/Inf in a loss term).</summary>
    public const int Diverged = 3;
}
