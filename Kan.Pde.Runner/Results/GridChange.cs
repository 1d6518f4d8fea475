namespace Kan.Pde.Runner.Results;

/// <summary>A KAN grid refinement (or coarsening) that took effect at <paramref name="Step"/>.</summary>
/// <param name="Step">First optimiser step trained on the new grid.</param>
/// <param name="FromGrid">Grid size before the change.</param>
/// <param name="ToGrid">Grid size after the change.</param>
public sealed record GridChange(int Step, int FromGrid, int ToGrid);
