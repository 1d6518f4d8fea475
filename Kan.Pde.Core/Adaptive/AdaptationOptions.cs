namespace Kan.Pde.Core.Adaptive;

/// <summary>Fresh points from the samplers every <paramref name="Every"/> steps (meshes stay as they are).</summary>
public sealed record PeriodicResampling(int Every);

/// <summary>
/// Residual-adaptive distribution of the interior points (RAD, Wu et al. 2023): every <paramref name="Every"/> steps
/// a pool of <paramref name="Candidates"/> points is drawn from the interior sampler, and the new interior points are
/// picked from it without replacement with probability ∝ ε^k / mean(ε^k) + c, ε the residual magnitude.
/// </summary>
/// <param name="Every">Steps between redistributions.</param>
/// <param name="Exponent">k: how strongly large residuals attract points (0 = uniform).</param>
/// <param name="Constant">c: the uniform share (large c = nearly uniform).</param>
/// <param name="Candidates">Size of the candidate pool (at least the number of interior points).</param>
public sealed record ResidualAdaptiveSampling(int Every, double Exponent = 1, double Constant = 1, int Candidates = 0);

/// <summary>
/// Residual-based attention (RBA, Anagnostopoulos et al. 2024): every point of a term carries a multiplier λ,
/// updated after each step as λ ← γ·λ + η·|r|/max|r| and applied as mean((λ·r)²). Multipliers start at 1.
/// </summary>
/// <param name="Decay">γ, the memory of the multipliers.</param>
/// <param name="Rate">η, the step of the update.</param>
/// <param name="Terms">Terms that get point weights; null for every term that reports residuals.</param>
public sealed record ResidualPointWeights(double Decay = 0.999, double Rate = 0.01, IReadOnlyList<string>? Terms = null);

/// <summary>How <see cref="TermBalancing"/> sets the weights.</summary>
public enum BalancingMethod
{
    /// <summary>λ̂_t = Σ_s ‖∇L_s‖ / ‖∇L_t‖: every weighted term pulls with the same gradient norm (Wang et al. 2023).</summary>
    GradNorm,
    /// <summary>λ̂_t = max|∇L_pde| / mean|∇L_t| for the other terms, 1 for the first (learning-rate annealing, Wang et al. 2021).</summary>
    Annealing,
}

/// <summary>
/// Automatic loss-term weights, recomputed every <paramref name="Every"/> steps from the gradients of the terms with
/// respect to the trainable parameters and smoothed as λ ← α·λ + (1 − α)·λ̂. They multiply the spec's weights.
/// </summary>
/// <param name="Method">The balancing rule.</param>
/// <param name="Every">Steps between updates.</param>
/// <param name="Smoothing">α, the memory of the weights.</param>
public sealed record TermBalancing(BalancingMethod Method, int Every, double Smoothing = 0.9);
