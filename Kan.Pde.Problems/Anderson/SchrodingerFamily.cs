using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// <c>family: schrodinger</c>: the lowest eigenstates of −ψ'' + Vψ = Eψ on [a, b], ψ = 0 at the ends, found one
/// after another. Keys: <c>potential</c> (see <see cref="PotentialSpec"/>), <c>states</c> (default 3),
/// <c>initial_energy</c> (start of every E; default 0), <c>reference: {points: n}</c> (coarse finite-difference
/// nodes, default 1001; the dense eigen-decomposition of the fine grid costs O(n³)).
/// </summary>
public sealed class SchrodingerFamily : IProblemFamily
{
    /// <inheritdoc />
    public string Name => "schrodinger";

    /// <inheritdoc />
    public string Summary => "lowest eigenstates of −ψ'' + Vψ = Eψ (1-D, ψ = 0 at the ends), E trained, finite-difference reference";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Keys { get; } = new[] { "potential", "states", "initial_energy", "reference" };

    /// <inheritdoc />
    public IPdeProblem Build(IProblemSection section, IDomain domain)
    {
        if (domain is not Box box || box.Dimension != 1 || domain.Variables.Contains("t"))
            throw section.Error("domain", "eigenstates are solved on an interval {x: [a, b]}");
        var potential = PotentialSpec.Read(section, box);
        int states = section.Integer("states", 3, min: 1, max: 50);
        double energy = section.Number("initial_energy", 0.0, min: -1e12, max: 1e12);
        int nodes = PotentialSpec.ReferenceNodes(section, 1001, 3001);
        return new SchrodingerProblem(box, potential, states, nodes, energy);
    }
}
