using System.Text.Json;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Tests.Results;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>
/// Small landscape and eigenstate solves through the command line against their finite-difference references,
/// fast enough for CI (bounds about 3× the values measured when written; threads: 1, mesh points, so deterministic).
/// </summary>
public class LocalizationSolveTests
{
    private RunnerSandbox _box = null!;

    [SetUp]
    public void SetUp() => _box = new RunnerSandbox();

    [TearDown]
    public void TearDown() => _box.Dispose();

    /// <summary>(−∂² + V) u = 1 on [0, 6] with six disordered cells; KAN [1,1], quintic, G = 20 → 60.</summary>
    private const string Landscape = """
        name: small-landscape
        problem:
          family: landscape
          domain: {x: [0, 6]}
          potential: {kind: disorder, strength: 4, cell: 1, smoothing: 0.1, seed: 3}
          reference: {points: 601}
        model:
          type: kan
          widths: [1, 1]
          grid: 20
          order: 5
        collocation:
          interior: {sampler: mesh, points: 601}
          boundary: {sampler: mesh, points: 2}
        schedule:
          - {optimizer: lbfgs, steps: 15, grid: 20}
          - {optimizer: lbfgs, steps: 15, grid: 60}
        evaluation:
          points: 1201
        seed: 0
        threads: 1
        """;

    /// <summary>−ψ'' = Eψ on [0, π]: E = 1 and 4 with sine states; KAN [1,1], quintic, G = 20 → 60.</summary>
    private const string FreeStates = """
        name: small-states
        problem:
          family: schrodinger
          domain: {x: [0, 3.141592653589793]}
          potential: {kind: expression, value: "0"}
          states: 2
          initial_energy: 0.5
          reference: {points: 201}
        model:
          type: kan
          widths: [1, 1]
          grid: 20
          order: 5
        collocation:
          interior: {sampler: mesh, points: 401}
          boundary: {sampler: mesh, points: 2}
        loss:
          weights: {orthogonality: 10, rayleigh: 0.1}
        schedule:
          - {optimizer: lbfgs, steps: 20, grid: 20}
          - {optimizer: lbfgs, steps: 20, grid: 60}
        evaluation:
          points: 801
        seed: 0
        threads: 1
        """;

    [Test]
    public void LandscapeMatchesItsFiniteDifferenceReference()
    {
        var result = _box.Run("solve", _box.WriteSpec(Landscape), "--output", _box.OutputDir, "--quiet");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_box.OutputDir, "metrics.json"))).RootElement;
        double error = metrics.GetProperty("relativeL2").GetDouble();
        TestContext.Out.WriteLine($"landscape relative L2 {error:E3}");
        Assert.That(error, Is.LessThan(5e-5));   // measured 1.68e-5
        Assert.That(PngHeader.ReadSize(Path.Combine(_box.OutputDir, "landscape.png")).Width, Is.GreaterThan(0));
    }

    [Test]
    public void FreeStatesComeOutInOrderWithTheirEnergies()
    {
        var result = _box.Run("solve", _box.WriteSpec(FreeStates), "--output", _box.OutputDir, "--quiet");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_box.OutputDir, SequenceSolve.SummaryFile))).RootElement;
        var members = summary.GetProperty("members").EnumerateArray().ToArray();
        Assert.That(members, Has.Length.EqualTo(2));
        for (int k = 0; k < 2; k++)
        {
            var q = members[k].GetProperty("quantities");
            double energy = q.GetProperty("energy").GetDouble(), reference = q.GetProperty("reference_energy").GetDouble();
            TestContext.Out.WriteLine($"state {k}: E {energy:G8} (reference {reference:G8}), IPR error {q.GetProperty("ipr_relative_error").GetDouble():E2}");
            Assert.That(reference, Is.EqualTo((k + 1) * (k + 1)).Within(1e-5 * (k + 1) * (k + 1)));
            // ∫ψ⁴ / (∫ψ²)² of √(2/π) sin((k+1)x) on [0, π] is 3/(2π) for every k.
            Assert.That(q.GetProperty("reference_ipr").GetDouble(), Is.EqualTo(1.5 / Math.PI).Within(1e-5));
            Assert.That(q.GetProperty("energy_relative_error").GetDouble(), Is.LessThan(3e-6));   // measured 1.3e-7, 4.7e-7
            Assert.That(q.GetProperty("ipr_relative_error").GetDouble(), Is.LessThan(2e-5));   // measured 2.1e-6, 5.8e-7
            Assert.That(q.GetProperty("psi_relative_l2").GetDouble(), Is.LessThan(1e-4));   // measured 1.8e-5, 2.8e-5
            Assert.That(q.GetProperty("norm").GetDouble(), Is.EqualTo(1).Within(1e-4));
        }
        Assert.That(PngHeader.ReadSize(Path.Combine(_box.OutputDir, "eigenstates.png")).Width, Is.GreaterThan(0));
        Assert.That(File.Exists(Path.Combine(_box.OutputDir, "member-1", "history.csv")));
    }

    [Test]
    public void EigenstateSequencesRefuseResume()
    {
        var result = _box.Run("solve", _box.WriteSpec(FreeStates), "--output", _box.OutputDir, "--resume");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--resume are not supported"));
        Assert.That(Directory.Exists(_box.OutputDir), Is.False);
    }

    [Test]
    public void AWrongPotentialKindIsABadInput()
    {
        var result = _box.Run("solve", _box.WriteSpec(Landscape.Replace("kind: disorder", "kind: random")), "--output", _box.OutputDir);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("problem.potential.kind"));
        Assert.That(Directory.Exists(_box.OutputDir), Is.False);
    }

    [Test]
    public void TooWideSmoothingIsABadInput()
    {
        var result = _box.Run("solve", _box.WriteSpec(Landscape.Replace("smoothing: 0.1", "smoothing: 0.5")), "--output", _box.OutputDir);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("smoothing"));
    }
}
