using Kan.Pde.Problems.NavierStokes;
using Kan.Pde.Runner.Spec;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems;

/// <summary>
/// The corner treatment of problems-yaml/cavity-re100.yaml checked by an independent computation: a finite-difference
/// stream function–vorticity solution of the Re = 100 cavity (65 × 65 nodes, central differences, Thom's wall
/// vorticity) with the spec's smoothed lid (u = 1 − cosh(20(x − ½))/cosh(10)) and with a sharp lid (u = 1 except at the
/// corners). The smoothing must move the centreline velocities much less than the acceptance floor (0.02), and the
/// sharp-lid solution must itself be close to Ghia et al.'s table (the solver is right).
/// </summary>
public class CavityLidSmoothingTests
{
    private const int N = 65;
    private const double Viscosity = 0.01;

    /// <summary>Ghia, Ghia &amp; Shin (1982), Re = 100: u along x = 0.5 at y = j/128 and v along y = 0.5 at x = i/128.</summary>
    private static readonly (int Node, double U)[] GhiaU =
    {
        (0, 0), (7, -0.03717), (8, -0.04192), (9, -0.04775), (13, -0.06434), (22, -0.10150), (36, -0.15662), (58, -0.21090),
        (64, -0.20581), (79, -0.13641), (94, 0.00332), (109, 0.23151), (122, 0.68717), (123, 0.73722), (124, 0.78871),
        (125, 0.84123), (128, 1),
    };

    private static readonly (int Node, double V)[] GhiaV =
    {
        (0, 0), (8, 0.09233), (9, 0.10091), (10, 0.10890), (12, 0.12317), (20, 0.16077), (29, 0.17507), (30, 0.17527),
        (64, 0.05454), (103, -0.24533), (110, -0.22445), (116, -0.16914), (121, -0.10313), (122, -0.08864), (123, -0.07391),
        (124, -0.05906), (128, 0),
    };

    [Test]
    public void TheSmoothedLidMovesTheCentrelinesFarLessThanTheFloor()
    {
        var sharp = Solve(x => x > 0 && x < 1 ? 1 : 0);
        var spec = (NavierStokesProblem)SpecLoader.Load(SpecPath("cavity-re100.yaml")).Problem.Definition;
        var lid = spec.Conditions.Single(c => c.Parts.Contains("y-max")).U;
        var smooth = Solve(x => lid.Evaluate(x, 1.0));
        double du = GhiaU.Max(g => Math.Abs(sharp.U(g.Node / 128.0) - smooth.U(g.Node / 128.0)));
        double dv = GhiaV.Max(g => Math.Abs(sharp.V(g.Node / 128.0) - smooth.V(g.Node / 128.0)));
        double eu = GhiaU.Max(g => Math.Abs(sharp.U(g.Node / 128.0) - g.U));
        double ev = GhiaV.Max(g => Math.Abs(sharp.V(g.Node / 128.0) - g.V));
        TestContext.Out.WriteLine($"smoothed vs sharp lid: {du:F4} (u), {dv:F4} (v); sharp lid vs Ghia: {eu:F4}, {ev:F4}");
        Assert.Multiple(() =>
        {
            Assert.That(eu, Is.LessThan(0.01));   // measured 0.0027 (the 65-node grid's own error)
            Assert.That(ev, Is.LessThan(0.01));   // measured 0.0059
            Assert.That(du, Is.LessThan(0.01));   // measured 0.0053
            Assert.That(dv, Is.LessThan(0.01));   // measured 0.0026
        });
    }

    private static string SpecPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "problems-yaml", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"problems-yaml/{name} not found above {AppContext.BaseDirectory}");
    }

    private sealed record Flow(double[,] Psi, double H, Func<double, double> Lid)
    {
        /// <summary>u = ψ_y along x = 0.5, linear between nodes.</summary>
        public double U(double y) => Along(y, j => j == 0 ? 0 : j == N - 1 ? Lid(0.5) : (Psi[N / 2, j + 1] - Psi[N / 2, j - 1]) / (2 * H));

        /// <summary>v = −ψ_x along y = 0.5, linear between nodes.</summary>
        public double V(double x) => Along(x, i => i == 0 || i == N - 1 ? 0 : -(Psi[i + 1, N / 2] - Psi[i - 1, N / 2]) / (2 * H));

        private double Along(double s, Func<int, double> nodal)
        {
            double t = s / H;
            int k = Math.Min((int)t, N - 2);
            return (1 - (t - k)) * nodal(k) + (t - k) * nodal(k + 1);
        }
    }

    /// <summary>Steady ψ–ω equations by Gauss–Seidel sweeps (over-relaxed for ψ) until ω changes by less than 1e-9.</summary>
    private static Flow Solve(Func<double, double> lid)
    {
        double h = 1.0 / (N - 1), a = Viscosity / (h * h);
        var psi = new double[N, N];
        var w = new double[N, N];
        var top = Enumerable.Range(0, N).Select(i => lid(i * h)).ToArray();
        for (int sweep = 0; sweep < 100_000; sweep++)
        {
            for (int k = 0; k < N; k++)
            {
                w[k, 0] = -2 * psi[k, 1] / (h * h);
                w[k, N - 1] = -2 * (psi[k, N - 2] + h * top[k]) / (h * h);
                w[0, k] = -2 * psi[1, k] / (h * h);
                w[N - 1, k] = -2 * psi[N - 2, k] / (h * h);
            }
            for (int i = 1; i < N - 1; i++)
                for (int j = 1; j < N - 1; j++)
                {
                    double next = 0.25 * (psi[i + 1, j] + psi[i - 1, j] + psi[i, j + 1] + psi[i, j - 1] + h * h * w[i, j]);
                    psi[i, j] += 1.7 * (next - psi[i, j]);
                }
            double change = 0;
            for (int i = 1; i < N - 1; i++)
                for (int j = 1; j < N - 1; j++)
                {
                    double u = (psi[i, j + 1] - psi[i, j - 1]) / (2 * h), v = -(psi[i + 1, j] - psi[i - 1, j]) / (2 * h);
                    double next = (a * (w[i + 1, j] + w[i - 1, j] + w[i, j + 1] + w[i, j - 1])
                                   - u * (w[i + 1, j] - w[i - 1, j]) / (2 * h) - v * (w[i, j + 1] - w[i, j - 1]) / (2 * h)) / (4 * a);
                    change = Math.Max(change, Math.Abs(next - w[i, j]));
                    w[i, j] += 0.9 * (next - w[i, j]);
                }
            if (change < 1e-9) break;
        }
        return new Flow(psi, h, lid);
    }
}
