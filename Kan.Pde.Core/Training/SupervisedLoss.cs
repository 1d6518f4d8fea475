using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>How a network's outputs are compared with the targets of labelled data.</summary>
public enum SupervisedLoss
{
    /// <summary>mean((y − t)²): regression.</summary>
    MeanSquare,

    /// <summary>
    /// Binary cross-entropy of σ(y) against labels t ∈ {0, 1}: the network's output is the logit, the
    /// sigmoid belongs to the loss. Written as mean(softplus(y) − t·y), which stays finite for large |y|.
    /// </summary>
    BinaryCrossEntropy,
}

/// <summary>Evaluation of a <see cref="SupervisedLoss"/> and the matching accuracy.</summary>
public static class SupervisedLosses
{
    /// <summary>The loss (a scalar in the graph) of outputs y [N, m] against targets t [N, m].</summary>
    public static Tensor Evaluate(SupervisedLoss kind, Tensor outputs, Tensor targets)
    {
        if (!outputs.shape.SequenceEqual(targets.shape))
            throw new ArgumentException($"outputs [{string.Join(", ", outputs.shape)}] and targets [{string.Join(", ", targets.shape)}] differ in shape");
        return kind switch
        {
            SupervisedLoss.MeanSquare => MeanSquare(outputs - targets),
            SupervisedLoss.BinaryCrossEntropy => (nn.functional.softplus(outputs) - targets * outputs).mean(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>
    /// mean(r·r). Written as a product rather than <c>square()</c>, which TorchSharp runs as <c>pow</c> with a temporary
    /// Scalar 2: in runs of <c>reproduce fig2.3</c> at G = 500 and 1000 that call failed inside libtorch with an invalid
    /// Scalar ("Unknown scalar type", "INTERNAL ASSERT FAILED at c10/core/Scalar.h"), as if the temporary had been freed
    /// before libtorch read it; with the product the runs complete. The two agree bit for bit (a test checks it).
    /// </summary>
    public static Tensor MeanSquare(Tensor r) => (r * r).mean();

    /// <summary>Fraction of logits whose sign agrees with 0/1 labels (logit &gt; 0 predicts 1).</summary>
    public static double BinaryAccuracy(Tensor logits, Tensor labels)
    {
        if (!logits.shape.SequenceEqual(labels.shape))
            throw new ArgumentException($"logits [{string.Join(", ", logits.shape)}] and labels [{string.Join(", ", labels.shape)}] differ in shape");
        if (logits.numel() == 0) throw new ArgumentException("no samples");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var predicted = logits.gt(0);
        var actual = labels.gt(0.5);
        return predicted.eq(actual).to(ScalarType.Float64).mean().ToDouble();
    }
}
