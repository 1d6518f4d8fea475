namespace Kan.Pde.Runner.Results;

/// <summary>What the interpretation of a trained KAN found, written to <c>interpretation.json</c> and the formula files.</summary>
public sealed record InterpretationReport
{
    /// <summary>Run name.</summary>
    public required string Name { get; init; }

    /// <summary>Name of the unknown field the formula is for.</summary>
    public string Output { get; init; } = "u";

    /// <summary>Variable names, in input order.</summary>
    public required IReadOnlyList<string> Variables { get; init; }

    /// <summary>Relative L2 of the trained (spline) network, before pruning and snapping.</summary>
    public double TrainedRelativeL2 { get; init; } = double.NaN;

    /// <summary>Hidden nodes removed by pruning, as "(boundary,index)".</summary>
    public IReadOnlyList<string> PrunedNodes { get; init; } = [];

    /// <summary>Edges masked by pruning, as "(layer,input,output)".</summary>
    public IReadOnlyList<string> PrunedEdges { get; init; } = [];

    /// <summary>The best fit found for every edge considered, and whether it was fixed.</summary>
    public IReadOnlyList<SnapReport> Snaps { get; init; } = [];

    /// <summary>Relative L2 right after snapping, before the affine parameters were retrained.</summary>
    public double SnappedRelativeL2 { get; init; } = double.NaN;

    /// <summary>Relative L2 of the network after retraining.</summary>
    public double RetrainedRelativeL2 { get; init; } = double.NaN;

    /// <summary>Edges that are still splines (then there is no formula).</summary>
    public IReadOnlyList<string> SplineEdges { get; init; } = [];

    /// <summary>The tidy formula (rounded, near-zero terms dropped), as parseable text; null without one.</summary>
    public string? Formula { get; init; }

    /// <summary>The tidy formula as LaTeX.</summary>
    public string? FormulaLatex { get; init; }

    /// <summary>Relative L2 of the tidy formula (re-read from its text) vs the exact solution on the evaluation mesh.</summary>
    public double FormulaRelativeL2 { get; init; } = double.NaN;

    /// <summary>The retrained network as a formula in full precision (like terms collected, nothing rounded).</summary>
    public string? FullFormula { get; init; }

    /// <summary>Relative L2 of the full-precision formula vs the exact solution on the evaluation mesh.</summary>
    public double FullFormulaRelativeL2 { get; init; } = double.NaN;

    /// <summary>Significant digits of the tidy formula.</summary>
    public int Digits { get; init; }

    /// <summary>Relative size under which summands were dropped from the tidy formula.</summary>
    public double DropBelow { get; init; }
}

/// <summary>One edge's best symbolic fit: c·f(a·x + b) + d with its R² on the sampled activations.</summary>
public sealed record SnapReport(string Edge, string Function, double R2, double A, double B, double C, double D, bool Fixed);
