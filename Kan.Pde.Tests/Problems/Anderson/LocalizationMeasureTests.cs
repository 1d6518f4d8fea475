using Kan.Pde.Problems.Anderson;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems.Anderson;

public class LocalizationMeasureTests
{
    [TestCase(10)]
    [TestCase(500)]
    public void AUniformStateHasDimensionOne(int sites)
    {
        var state = Enumerable.Repeat(0.7, sites).ToArray();
        Assert.That(LocalizationMeasures.InverseParticipationRatio(state), Is.EqualTo(1.0 / sites).Within(1e-15));
        Assert.That(LocalizationMeasures.FractalDimension(state), Is.EqualTo(1.0).Within(1e-13));
    }

    [Test]
    public void APlaneWaveOnARingHasDimensionOne()
    {
        // cos(kn) and sin(kn) of one momentum k = 2πm/N share the weight of e^{ikn}: |ψ_n|² = 1/N.
        const int N = 64;
        double k = 2 * Math.PI * 5 / N;
        var re = Enumerable.Range(0, N).Select(n => Math.Cos(k * n)).ToArray();
        var im = Enumerable.Range(0, N).Select(n => Math.Sin(k * n)).ToArray();
        // IPR of a complex state from its real and imaginary parts: Σ(re²+im²)² / (Σ re²+im²)².
        double norm = 0, fourth = 0;
        for (int n = 0; n < N; n++) { double p = re[n] * re[n] + im[n] * im[n]; norm += p; fourth += p * p; }
        Assert.That(LocalizationMeasures.FractalDimension(fourth / (norm * norm), N), Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void ASingleSiteStateHasDimensionZero()
    {
        var state = new double[300];
        state[123] = -2.5;
        Assert.That(LocalizationMeasures.InverseParticipationRatio(state), Is.EqualTo(1.0).Within(1e-15));
        Assert.That(LocalizationMeasures.FractalDimension(state), Is.EqualTo(0.0).Within(1e-15));
    }

    [Test]
    public void AStateOnMSitesHasIprOneOverM()
    {
        var state = new double[1000];
        for (int n = 100; n < 110; n++) state[n] = n % 2 == 0 ? 1 : -1;
        Assert.That(LocalizationMeasures.InverseParticipationRatio(state), Is.EqualTo(0.1).Within(1e-15));
        Assert.That(LocalizationMeasures.FractalDimension(state), Is.EqualTo(1.0 / 3).Within(1e-14));
    }

    [Test]
    public void AZeroStateIsRejected() =>
        Assert.Throws<ArgumentException>(() => LocalizationMeasures.InverseParticipationRatio(new double[5]));

    [Test]
    public void TheFreeOpenChainHasItsStandingWaves()
    {
        // λ = 0: H is the open chain, E_k = 2cos(πk/(N+1)) and ψ_n ∝ sin(πkn/(N+1)), whose IPR is exactly
        // 3/(2(N+1)) for even N (Σ sin⁴ = 3(N+1)/8, Σ sin² = (N+1)/2).
        const int N = 12;
        var spectrum = ChainSpectrum.Of(new MosaicChain(2, 0, 0.3), N, LatticeBoundary.Open);
        var expected = Enumerable.Range(1, N).Select(k => 2 * Math.Cos(Math.PI * k / (N + 1))).OrderBy(e => e).ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.That(spectrum.Energies[i], Is.EqualTo(expected[i]).Within(1e-12));
            Assert.That(spectrum.InverseParticipationRatios[i], Is.EqualTo(1.5 / (N + 1)).Within(1e-12));
        }
    }
}
