using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;

namespace Kan.Pde.Problems;

/// <summary>
/// A family of PDE problems as it appears in specs (<c>problem: {family: NAME, domain: …, …}</c>): it
/// names the keys it accepts besides <c>family</c> and <c>domain</c>, reads them, and builds the problem.
/// Adding a PDE means one folder with a problem class and its family, listed in <see cref="ProblemFamilies"/>.
/// </summary>
public interface IProblemFamily
{
    /// <summary>The value of <c>family</c> in specs, e.g. "poisson".</summary>
    string Name { get; }

    /// <summary>One line for listings: the equation and what is given.</summary>
    string Summary { get; }

    /// <summary>Keys of the <c>problem</c> section this family reads (besides family and domain).</summary>
    IReadOnlyCollection<string> Keys { get; }

    /// <summary>Reads the family's keys from <paramref name="section"/> and builds the problem on <paramref name="domain"/>.</summary>
    IPdeProblem Build(IProblemSection section, IDomain domain);
}
