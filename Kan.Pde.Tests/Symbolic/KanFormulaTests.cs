using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Symbolic;

public class KanFormulaTests
{
    private static readonly string[] XY = { "x", "y" };

    /// <summary>[2,2,1] with h1 = x − y, h2 = x + y, u = ½ sin(π h1 + 5π/2) − ½ sin(π h2 + π/2) = sin πx sin πy.</summary>
    private static KanNetwork ProductOfSines()
    {
        var net = new KanNetwork(new[] { 2, 2, 1 }, new KanOptions(GridSize: 5));
        net.FixSymbolic(new EdgeId(0, 0, 0), SymbolicFunction.X, 2, 0.5, 0.5, -0.25);   // x
        net.FixSymbolic(new EdgeId(0, 1, 0), SymbolicFunction.X, 1, 0, -1, 0);         // −y
        net.FixSymbolic(new EdgeId(0, 0, 1), SymbolicFunction.X, 1, 0, 1, 0);          // x
        net.FixSymbolic(new EdgeId(0, 1, 1), SymbolicFunction.X, 1, 0.3, 1, -0.3);     // y
        net.FixSymbolic(new EdgeId(1, 0, 0), SymbolicFunction.Sin, Math.PI, 2.5 * Math.PI, 0.5, 0);
        net.FixSymbolic(new EdgeId(1, 1, 0), SymbolicFunction.Sin, Math.PI, 0.5 * Math.PI, -0.5, 0);
        return net;
    }

    [Test]
    public void TheComposedFormulaEvaluatesToTheNetwork()
    {
        using var net = ProductOfSines();
        var formula = KanFormula.Compose(net, XY)[0];
        var points = rand(new long[] { 200, 2 }, ScalarType.Float64, generator: new Generator(4)) * 2 - 1;
        var fromFormula = formula.Evaluate(points);
        var fromNetwork = net.Forward(points).select(1, 0);
        Assert.That((fromFormula - fromNetwork).abs().max().item<double>(), Is.LessThan(1e-14), formula.ToString());
        var exact = (Math.PI * points.select(1, 0)).sin() * (Math.PI * points.select(1, 1)).sin();
        Assert.That((fromFormula - exact).abs().max().item<double>(), Is.LessThan(1e-14));
        // Like terms were collected: each sine's argument is one linear form in x and y.
        Assert.That(formula.ToString(), Does.Contain("sin(3.141592653589793*x - 3.141592653589793*y + 7.853981633974483)"));
    }

    [Test]
    public void TheTidyFormulaIsTheProductOfSines()
    {
        using var net = ProductOfSines();
        var formula = KanFormula.Compose(net, XY)[0];
        var random = new Random(1);
        var points = Enumerable.Range(0, 100).Select(_ => new[] { 2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1 }).ToArray();
        var tidy = formula.WithoutNegligibleTerms(points, 1e-6).Tidied(6);
        Assert.That(tidy.ToString(), Is.EqualTo("sin(pi*x)*sin(pi*y)"));
        Assert.That(tidy.ToLatex(), Is.EqualTo(@"\sin\left(\pi x\right) \sin\left(\pi y\right)"));
    }

    [Test]
    public void FormulasOfAKanBehindInputScalingAreInTheNetworksCoordinates()
    {
        // Domain [0, 2] × [1, 5]: the KAN sees x̂ = x − 1 and ŷ = (y − 3)/2.
        using var network = new ScaledInputs(ProductOfSines(), new[] { 0.0, 1.0 }, new[] { 2.0, 5.0 });
        var view = Kan.Pde.Core.Interpretation.InterpretableKan.Of(network)!;
        Assert.That(view.Scaling, Is.SameAs(network));
        var formula = view.Formula(XY)[0];
        var points = rand(new long[] { 100, 2 }, ScalarType.Float64, generator: new Generator(6)) * tensor(new[] { 2.0, 4.0 }) + tensor(new[] { 0.0, 1.0 });
        Assert.That((formula.Evaluate(points) - network.Forward(points).select(1, 0)).abs().max().item<double>(), Is.LessThan(1e-13));
        var random = new Random(3);
        var sample = Enumerable.Range(0, 100).Select(_ => new[] { 2 * random.NextDouble(), 1 + 4 * random.NextDouble() }).ToArray();
        Assert.That(formula.WithoutNegligibleTerms(sample, 1e-6).Tidied(6).ToString(), Is.EqualTo("-sin(pi*x)*cos(pi/2*y)"));
        // The plot's first layer is drawn over the network's own coordinates.
        var diagram = view.Diagram(points, XY, new[] { "u" });
        var first = diagram.Edges.First(e => e.Edge == new EdgeId(0, 1, 0));
        Assert.That(first.Inputs.Min(), Is.GreaterThanOrEqualTo(1.0));
        Assert.That(first.Inputs.Max(), Is.LessThanOrEqualTo(5.0).And.GreaterThan(4.5));
    }

    [Test]
    public void PrunedEdgesAreLeftOutAndSplineEdgesAreRefused()
    {
        using var net = ProductOfSines();
        using (no_grad()) net.Layers[1].Mask[1, 0] = 0;
        var formula = KanFormula.Compose(net, XY)[0];
        Assert.That(formula.Tidied(6).ToString(), Is.EqualTo("0.5*cos(pi*x - pi*y)"));
        net.ReleaseSymbolic(new EdgeId(0, 1, 1));
        Assert.That(KanFormula.SplineEdges(net), Is.EqualTo(new[] { new EdgeId(0, 1, 1) }));
        var error = Assert.Throws<InvalidOperationException>(() => KanFormula.Compose(net, XY));
        Assert.That(error!.Message, Does.Contain("(0,1,1)"));
    }
}
