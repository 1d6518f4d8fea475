using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// <c>family: landscape</c>: (−Δ + V) u = 1 in a 1-D or 2-D box, u = 0 on the boundary. Keys: <c>potential</c>
/// (see <see cref="PotentialSpec"/>), <c>reference: {points: n}</c> (finite-difference nodes per axis of the
/// coarse grid; default 2001 in 1-D, 201 in 2-D).
/// </summary>
public sealed class LandscapeFamily : IProblemFamily
{
    /// <inheritdoc />
    public string Name => "landscape";

    /// <inheritdoc />
    public string Summary => "localization landscape (−Δ + V) u = 1, u = 0 on the boundary (1-D, 2-D), finite-difference reference";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Keys { get; } = new[] { "potential", "reference" };

    /// <inheritdoc />
    public IPdeProblem Build(IProblemSection section, IDomain domain)
    {
        if (domain is not Box box || box.Dimension > 2 || domain.Variables.Contains("t"))
            throw section.Error("domain", "the landscape is solved in a 1-D or 2-D box without time");
        var potential = PotentialSpec.Read(section, box);
        int nodes = PotentialSpec.ReferenceNodes(section, box.Dimension == 1 ? 2001 : 201, box.Dimension == 1 ? 1_000_000 : 1001);
        return new LandscapeProblem(box, potential, Enumerable.Repeat(nodes, box.Dimension).ToArray());
    }
}
