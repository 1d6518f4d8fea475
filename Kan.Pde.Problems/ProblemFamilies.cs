using Kan.Pde.Problems.Anderson;
using Kan.Pde.Problems.NavierStokes;
using Kan.Pde.Problems.Helmholtz;
using Kan.Pde.Problems.Poisson;

namespace Kan.Pde.Problems;

/// <summary>The problem families a spec can name.</summary>
public static class ProblemFamilies
{
    /// <summary>All families, in the order listings show them.</summary>
    public static IReadOnlyList<IProblemFamily> All { get; } = new IProblemFamily[]
    {
        new PoissonFamily(),
        new NavierStokesFamily(),
        new HelmholtzFamily(),
        new LandscapeFamily(),
        new SchrodingerFamily(),
    };

    /// <summary>The family called <paramref name="name"/>, or null.</summary>
    public static IProblemFamily? Find(string name) => All.FirstOrDefault(f => f.Name == name);
}
