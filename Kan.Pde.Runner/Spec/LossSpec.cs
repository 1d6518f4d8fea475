namespace Kan.Pde.Runner.Spec;

/// <summary>loss = PdeWeight * mean(residual²) + BoundaryWeight * mean((u - g)²).</summary>
public sealed record LossSpec(double PdeWeight, double BoundaryWeight);
