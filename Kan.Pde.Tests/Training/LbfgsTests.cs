using Kan.Pde.Core.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

public class LbfgsTests
{
    // pykan's curvature threshold: PyTorch's 1e-10 drops every pair once steps are below ~1e-5, which stalls
    // convergence to the tight tolerances these tests ask for.
    private static readonly LbfgsOptions Tight = new()
    {
        CurvatureThreshold = 1e-32,
        ToleranceGrad = 1e-12,
        ToleranceChange = 1e-20,
        MaxIterations = 20,
        MaxEvaluations = 25,
    };

    private static (int Steps, Lbfgs Optimizer) RunUntilConverged(TorchSharp.Modules.Parameter x,
        Func<Tensor, Tensor> f, LbfgsOptions options, int maxSteps)
    {
        var optimizer = new Lbfgs([x], options);
        var closure = TestFunctions.Closure(x, f);
        int steps = 0;
        while (steps < maxSteps)
        {
            optimizer.Step(closure);
            steps++;
            if (optimizer.LastStopReason is not (LbfgsStopReason.MaxIterations or LbfgsStopReason.MaxEvaluations)) break;
        }
        return (steps, optimizer);
    }

    [TestCase(2)]
    [TestCase(10)]
    public void MinimizesRosenbrockWithStrongWolfe(int n)
    {
        var x = TestFunctions.Parameter(TestFunctions.RosenbrockStart(n));
        var (steps, optimizer) = RunUntilConverged(x, TestFunctions.Rosenbrock, Tight, maxSteps: 50);
        using (optimizer)
        {
            double error = TestFunctions.Distance(x, Enumerable.Repeat(1.0, n).ToArray());
            TestContext.Out.WriteLine($"n={n}: steps={steps}, iterations={optimizer.Iterations}, " +
                                      $"evaluations={optimizer.Evaluations}, |x−1|={error:G3}, stop={optimizer.LastStopReason}");
            Assert.That(error, Is.LessThanOrEqualTo(1e-8));
            // Reported for comparison; a generous bound only guards against a broken line search.
            Assert.That(optimizer.Evaluations, Is.LessThan(300));
        }
    }

    private static (Lbfgs Optimizer, double RelativeError) MinimizeQuadratic(double log10Condition, LbfgsOptions options)
    {
        const int n = 50;
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(1234);
        var (q, _) = torch.linalg.qr(torch.randn(n, n, dtype: ScalarType.Float64, generator: generator));
        var eigenvalues = torch.logspace(0, log10Condition, n, dtype: ScalarType.Float64);
        var a = q.matmul(torch.diag(eigenvalues)).matmul(q.t());
        var solution = torch.randn(n, dtype: ScalarType.Float64, generator: generator);

        var x = new TorchSharp.Modules.Parameter(torch.zeros(n, dtype: ScalarType.Float64));
        var optimizer = new Lbfgs([x], options);
        // Written around the minimizer so that f* = 0: in the form ½xᵀAx − bᵀx the loss values would carry
        // rounding errors of order ε·|f*|, and no value-based line search can resolve the last digits below √ε.
        optimizer.Step(TestFunctions.Closure(x, v =>
        {
            var e = v - solution;
            return 0.5 * e.dot(a.matmul(e));
        }));
        double relativeError = (x.detach() - solution).norm().ToDouble() / solution.norm().ToDouble();
        TestContext.Out.WriteLine($"κ=1e{log10Condition}: iterations={optimizer.Iterations}, evaluations={optimizer.Evaluations}, " +
                                  $"relative error={relativeError:G3}, stop={optimizer.LastStopReason}");
        return (optimizer, relativeError);
    }

    [Test]
    public void ConvexQuadraticIn50DimensionsConvergesQuickly()
    {
        // Default settings (history 10, c2 = 0.9): condition number 10.
        var (optimizer, error) = MinimizeQuadratic(1, Tight with { MaxIterations = 500, MaxEvaluations = 1000, ToleranceGrad = 1e-10 });
        using (optimizer)
        {
            Assert.That(error, Is.LessThan(1e-9));
            Assert.That(optimizer.Iterations, Is.LessThanOrEqualTo(60));
        }
    }

    [Test]
    public void NearExactLineSearchWithFullHistoryTerminatesLikeConjugateGradients()
    {
        // With exact line searches L-BFGS on a quadratic generates the conjugate-gradient iterates, so with
        // condition number 100 it still needs only about n = 50 iterations; a wrong two-loop recursion would not.
        var options = Tight with
        {
            MaxIterations = 500, MaxEvaluations = 5000, ToleranceGrad = 1e-10, HistorySize = 50,
            SufficientDecrease = 1e-8, CurvatureCondition = 1e-6,
        };
        var (optimizer, error) = MinimizeQuadratic(2, options);
        using (optimizer)
        {
            Assert.That(error, Is.LessThan(1e-9));
            Assert.That(optimizer.Iterations, Is.LessThanOrEqualTo(55));
        }
    }

    [Test]
    public void StateCarriesAcrossSteps()
    {
        // Ten one-iteration steps must follow the same path as one ten-iteration step: only the extra closure
        // call at the start of each step differs, and it is made at the same point.
        var options = LbfgsOptions.Pykan with { MaxEvaluations = 1000 };
        var x1 = TestFunctions.Parameter(TestFunctions.RosenbrockStart(4));
        var x2 = TestFunctions.Parameter(TestFunctions.RosenbrockStart(4));
        using var one = new Lbfgs([x1], options with { MaxIterations = 10 });
        using var many = new Lbfgs([x2], options with { MaxIterations = 1 });
        one.Step(TestFunctions.Closure(x1, TestFunctions.Rosenbrock));
        for (int i = 0; i < 10; i++) many.Step(TestFunctions.Closure(x2, TestFunctions.Rosenbrock));

        Assert.That(one.Iterations, Is.EqualTo(10));
        Assert.That(many.Iterations, Is.EqualTo(10));
        Assert.That(many.HistoryCount, Is.EqualTo(one.HistoryCount));
        Assert.That(x2.detach().allclose(x1.detach(), rtol: 0, atol: 1e-13), Is.True);
    }

    [Test]
    public void ResetClearsHistoryAndRestartsWithScaledStep()
    {
        var x = TestFunctions.Parameter(TestFunctions.RosenbrockStart(2));
        using var optimizer = new Lbfgs([x], LbfgsOptions.Pykan with { MaxIterations = 5 });
        var closure = TestFunctions.Closure(x, TestFunctions.Rosenbrock);
        double first = optimizer.Step(closure);
        Assert.That(optimizer.HistoryCount, Is.GreaterThan(0));
        optimizer.Reset();
        Assert.That(optimizer.HistoryCount, Is.Zero);
        double second = optimizer.Step(closure);
        Assert.That(second, Is.LessThan(first));
    }

    [Test]
    public void FixedStepWithoutLineSearchDecreasesAQuadratic()
    {
        var x = TestFunctions.Parameter(3.0, -2.0, 0.5);
        using var optimizer = new Lbfgs([x], new LbfgsOptions { LineSearch = LbfgsLineSearch.None, MaxIterations = 30 });
        var closure = TestFunctions.Closure(x, v => (v * v * torch.tensor(new[] { 1.0, 2.0, 3.0 }, dtype: ScalarType.Float64)).sum());
        double start = optimizer.Step(closure);
        double after = optimizer.Step(closure);
        Assert.That(after, Is.LessThan(1e-3 * start));
    }

    [Test]
    public void HandlesSeveralParametersAndMissingGradients()
    {
        // b never enters the loss, so its .grad stays null; it must be treated as zero and left unchanged.
        var a = TestFunctions.Parameter(2.0, -1.0);
        var b = new TorchSharp.Modules.Parameter(torch.full(new long[] { 2, 2 }, 7.0, dtype: ScalarType.Float64));
        using var optimizer = new Lbfgs([a, b], Tight);
        for (int i = 0; i < 5; i++)
            optimizer.Step(() =>
            {
                a.grad?.zero_();
                var loss = ((a - 1.0).pow(2)).sum();
                loss.backward();
                return loss;
            });
        Assert.That(TestFunctions.Distance(a, [1.0, 1.0]), Is.LessThan(1e-10));
        Assert.That(b.detach().eq(7.0).all().ToBoolean(), Is.True);
    }

    [Test]
    public void RejectsMixedDtypesAndNonScalarLoss()
    {
        var a = TestFunctions.Parameter(1.0);
        var f = new TorchSharp.Modules.Parameter(torch.ones(1, dtype: ScalarType.Float32));
        Assert.Throws<ArgumentException>(() => new Lbfgs([a, f]));
        using var optimizer = new Lbfgs([a]);
        Assert.Throws<InvalidOperationException>(() => optimizer.Step(() => a.expand(3) * 2.0));
    }

    [Test]
    public void LongRunsDoNotAccumulateTensors()
    {
        // Few iterations per step so that the run is still far from converged (every step does full work).
        var x = TestFunctions.Parameter(TestFunctions.RosenbrockStart(10));
        using var optimizer = new Lbfgs([x], LbfgsOptions.Pykan with { MaxIterations = 2 });
        var closure = TestFunctions.Closure(x, TestFunctions.Rosenbrock);
        for (int i = 0; i < 3; i++) optimizer.Step(closure);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        int iterationsBefore = optimizer.Iterations, historyBefore = optimizer.HistoryCount;
        for (int i = 0; i < 10; i++) optimizer.Step(closure);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TestContext.Out.WriteLine($"live tensors before={before}, after={after}, history={optimizer.HistoryCount}");
        Assert.That(optimizer.Iterations - iterationsBefore, Is.EqualTo(20));
        // Only the curvature history may grow (two vectors per new pair).
        Assert.That(after - before, Is.LessThanOrEqualTo(2 * (optimizer.HistoryCount - historyBefore)));
    }
}
