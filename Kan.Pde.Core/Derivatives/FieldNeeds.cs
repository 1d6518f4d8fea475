namespace Kan.Pde.Core.Derivatives;

/// <summary>What a problem needs of the network's output field at a set of points.</summary>
[Flags]
public enum FieldNeeds
{
    /// <summary>u itself.</summary>
    Value = 1,
    /// <summary>∂u/∂x_d for every input d.</summary>
    Gradient = 2 | Value,
    /// <summary>∂²u/∂x_d² for every d (and so the Laplacian).</summary>
    SecondDiagonal = 4 | Gradient,
}
