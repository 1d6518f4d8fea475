using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Problems.NavierStokes;

/// <summary>How a pressure gauge fixes the free constant of the pressure.</summary>
public enum PressureGaugeKind
{
    /// <summary>p = value at one point (at every time of an unsteady flow).</summary>
    Point,
    /// <summary>mean of p over the interior collocation points = value (steady flows).</summary>
    Mean,
}

/// <summary>
/// Fixes the additive constant of the pressure, which velocity conditions alone leave free. Without an explicit
/// <see cref="Value"/> the target is the exact pressure when one is known (so errors need no gauge removal), else 0.
/// </summary>
/// <param name="Kind">Pin a point or the mean.</param>
/// <param name="Point">(x, y) of the pinned point (empty for a mean gauge).</param>
/// <param name="Value">The target pressure as an expression in the domain's variables, or null.</param>
public sealed record PressureGauge(PressureGaugeKind Kind, IReadOnlyList<double> Point, Expr? Value)
{
    /// <summary>Pins p at (x, y).</summary>
    public static PressureGauge AtPoint(double x, double y, Expr? value = null) => new(PressureGaugeKind.Point, new[] { x, y }, value);

    /// <summary>Fixes the mean of p.</summary>
    public static PressureGauge Mean(Expr? value = null) => new(PressureGaugeKind.Mean, Array.Empty<double>(), value);
}
