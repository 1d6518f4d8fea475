using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Problems.Anderson;

/// <summary>A potential given by an expression in the domain's coordinates (e.g. a quasi-periodic sum of cosines).</summary>
public sealed class ExpressionPotential : IPotential
{
    private readonly Expr _expression;
    private readonly string _text;

    /// <summary>Wraps a parsed expression; <paramref name="text"/> is how it was written.</summary>
    public ExpressionPotential(Expr expression, string text)
    {
        if (expression.Variables.Count is < 1 or > 2) throw new ArgumentException("potentials are defined in 1 or 2 dimensions");
        _expression = expression;
        _text = text;
    }

    /// <inheritdoc />
    public int Dimension => _expression.Variables.Count;

    /// <inheritdoc />
    public string Description => $"V = {_text}";

    /// <inheritdoc />
    public double At(ReadOnlySpan<double> point) => _expression.Evaluate(point.ToArray());
}
