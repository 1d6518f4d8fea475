using Kan.Pde.Problems.Anderson;
using Kan.Pde.Runner.Setup;

namespace Kan.Pde.Runner.Results;

/// <summary>The figures a problem family adds to a solve's results folder, beside the common ones.</summary>
internal static class ProblemFigures
{
    /// <summary>Extra figures for the setup's problem (none for families without their own).</summary>
    public static IReadOnlyList<ExtraFile> For(RunSetup setup) => setup.Problem switch
    {
        LandscapeProblem landscape => LocalizationFigures.ForLandscape(landscape, setup.Network, setup.Spec.Name),
        _ => Array.Empty<ExtraFile>(),
    };
}
