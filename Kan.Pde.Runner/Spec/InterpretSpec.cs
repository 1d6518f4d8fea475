namespace Kan.Pde.Runner.Spec;

/// <summary>
/// The <c>interpret:</c> section: turning a trained KAN into a formula. Training (with the optional sparsity
/// regularization) runs the spec's schedule; then edges may be pruned, are snapped to library functions, the affine
/// parameters are retrained, and the network is printed as a formula.
/// </summary>
/// <param name="Regularization">L1 + entropy regularization added to the loss during the main schedule, or null.</param>
/// <param name="Prune">Pruning after training, or null for none.</param>
/// <param name="Snap">Candidate functions per layer; layers not listed use the whole library.</param>
/// <param name="MinR2">Edges whose best fit has a lower R² stay splines.</param>
/// <param name="Retrain">Stages run after snapping (no grid keys).</param>
/// <param name="FreezeSplines">Train only the symbolic edges' affine parameters in the retraining.</param>
/// <param name="Digits">Significant digits of the tidy formula.</param>
/// <param name="DropBelow">Relative size under which summands are dropped from the tidy formula.</param>
public sealed record InterpretSpec(
    RegularizationSpec? Regularization,
    PruneSpec? Prune,
    IReadOnlyList<SnapRule> Snap,
    double MinR2,
    IReadOnlyList<StageSpec> Retrain,
    bool FreezeSplines,
    int Digits,
    double DropBelow)
{
    /// <summary>50 L-BFGS steps with pykan's settings.</summary>
    public static StageSpec DefaultRetrainStage { get; } =
        new(OptimizerKind.Lbfgs, 50, 1.0, null, [], new LbfgsSpec(10, 20, 25, 1e-32, 1e-32, LineSearch.StrongWolfe));

    /// <summary>What <c>kan-pde interpret</c> does for a spec without the section: snap every edge to its best library fit, retrain 50 L-BFGS steps.</summary>
    public static InterpretSpec Default { get; } = new(null, null, [], 0, [DefaultRetrainStage], true, 6, 1e-6);
}

/// <summary>λ·Σ_layers (μ₁|Φ|₁ + μ₂ S(Φ)), the KAN paper's sparsity regularization.</summary>
public sealed record RegularizationSpec(double Weight, double L1, double Entropy);

/// <summary>Pruning thresholds on mean |φ| (node: incoming or outgoing score; edge: its own score).</summary>
public sealed record PruneSpec(double NodeThreshold, double EdgeThreshold);

/// <summary>The library functions edges of layer <paramref name="Layer"/> may be snapped to.</summary>
public sealed record SnapRule(int Layer, IReadOnlyList<string> Functions);
