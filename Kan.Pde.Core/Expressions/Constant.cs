using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Expressions;

/// <summary>
/// A number. <see cref="Symbol"/> remembers "pi", "e" (or their negations) so that printed
/// expressions keep the names the user wrote instead of 17-digit decimals.
/// </summary>
internal sealed class Constant : Expr
{
    public Constant(double value, IReadOnlyList<string> variables, string? symbol = null) : base(variables, 1)
    {
        Value = value;
        Symbol = symbol;
    }

    public double Value { get; }

    public string? Symbol { get; }

    public override bool IsConstant => true;

    public bool Is(double v) => Value == v;

    internal override double Eval(IReadOnlyList<double> values) => Value;

    internal override Tensor EvalTensor(Tensor points) =>
        torch.tensor(Value, dtype: points.dtype, device: points.device);

    internal override Expr Differentiate(int variableIndex) => new Constant(0, Variables);

    // A leading minus makes a negative literal bind like unary minus: (-2)^x needs parentheses, -2*x does not.
    internal override int Precedence => Text.StartsWith('-') ? Expressions.Precedence.Unary : Expressions.Precedence.Atom;

    internal override void Write(StringBuilder sb) => sb.Append(Text);

    // "R" gives the shortest text that round-trips to the same double, e.g. 0.001, 1E-20, 6.283185307179586.
    private string Text => Symbol ?? Value.ToString("R", CultureInfo.InvariantCulture);

    public Constant Negated() =>
        new(-Value, Variables, Symbol is null ? null : Symbol.StartsWith('-') ? Symbol[1..] : "-" + Symbol);
}
