namespace Kan.Pde.Core.Symbolic;

/// <summary>The functions KAN edges can be snapped to, looked up by the names specs use.</summary>
public static class SymbolicLibrary
{
    /// <summary>
    /// Every function, simplest first: x, x^2, x^3, x^4, 1/x, sqrt, exp, log, sin, cos, tan, tanh, sigmoid, cosh,
    /// arctan, abs, gaussian, 0.
    /// </summary>
    public static IReadOnlyList<SymbolicFunction> All { get; } = new[]
    {
        SymbolicFunction.X, SymbolicFunction.Square, SymbolicFunction.Cube, SymbolicFunction.Fourth,
        SymbolicFunction.Reciprocal, SymbolicFunction.Sqrt, SymbolicFunction.Exp, SymbolicFunction.Log,
        SymbolicFunction.Sin, SymbolicFunction.Cos, SymbolicFunction.Tan, SymbolicFunction.Tanh,
        SymbolicFunction.Sigmoid, SymbolicFunction.Cosh, SymbolicFunction.Arctan, SymbolicFunction.Abs,
        SymbolicFunction.Gaussian, SymbolicFunction.Zero,
    };

    /// <summary>The names of <see cref="All"/>, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(f => f.Name).ToArray();

    /// <summary>The function called <paramref name="name"/>, or null.</summary>
    public static SymbolicFunction? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>The function called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No library function has that name.</exception>
    public static SymbolicFunction ByName(string name) =>
        Find(name) ?? throw new ArgumentException($"unknown symbolic function '{name}' (known: {string.Join(", ", Names)})", nameof(name));
}
