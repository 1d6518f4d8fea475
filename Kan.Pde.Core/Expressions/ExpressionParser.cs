namespace Kan.Pde.Core.Expressions;

/// <summary>
/// Parses the expression language used in specs:
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := unary (('*' | '/') unary)*
/// unary   := '-' unary | '+' unary | power
/// power   := primary ('^' unary)?          right-associative; -x^2 = -(x^2), 2^-x is allowed
/// primary := number | constant | variable | function '(' sum ')' | '(' sum ')'
/// </code>
/// Numbers are decimal with an optional exponent (1e-3, 2.5E+4); constants are pi and e; functions are
/// sin cos tan exp log sqrt tanh abs sinh cosh atan (alias arctan) sign. There is no implicit multiplication.
/// </summary>
public static class ExpressionParser
{
    /// <summary>Nesting deeper than this (parentheses, unary minus, exponents) is refused before it can exhaust the stack.</summary>
    public const int MaxNesting = 200;

    private static readonly HashSet<string> ConstantNames = new() { "pi", "e" };

    /// <summary>
    /// Parses <paramref name="text"/> into an expression over <paramref name="variables"/>
    /// (their order fixes the meaning of the values in <see cref="Expr.Evaluate(IReadOnlyList{double})"/>).
    /// </summary>
    /// <exception cref="ExpressionException">The text is not a valid expression; the message says where and why.</exception>
    /// <exception cref="ArgumentException">The variable list itself is invalid (not identifiers, repeated, or a reserved name).</exception>
    public static Expr Parse(string text, IReadOnlyList<string> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vars = CheckedVariables(variables);
        var parser = new Parser(Tokenizer.Tokenize(text), vars, text.Length);
        return parser.ParseWhole();
    }

    /// <summary>Copies and validates a variable list so that expressions never see it change.</summary>
    internal static IReadOnlyList<string> CheckedVariables(IReadOnlyList<string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var copy = variables.ToArray();
        var seen = new HashSet<string>();
        foreach (var v in copy)
        {
            if (v is null || !Tokenizer.IsIdentifier(v))
                throw new ArgumentException($"variable name '{v}' is not an identifier", nameof(variables));
            if (ConstantNames.Contains(v) || MathFunctions.ByName.ContainsKey(v))
                throw new ArgumentException($"variable name '{v}' is reserved for a constant or function", nameof(variables));
            if (!seen.Add(v))
                throw new ArgumentException($"variable name '{v}' appears twice", nameof(variables));
        }
        return Array.AsReadOnly(copy);
    }

    /// <summary>1-based column for messages, matching what editors show.</summary>
    internal static int Column(int position) => position + 1;

    private sealed class Parser
    {
        private readonly List<Token> _tokens;
        private readonly IReadOnlyList<string> _variables;
        private readonly int _length;
        private int _next;
        private int _nesting;

        public Parser(List<Token> tokens, IReadOnlyList<string> variables, int length)
        {
            _tokens = tokens;
            _variables = variables;
            _length = length;
        }

        private Token Peek => _tokens[_next];

        public Expr ParseWhole()
        {
            if (Peek.Kind == TokenKind.End)
                throw new ExpressionException("empty expression", 0);
            var e = ParseSum();
            if (Peek.Kind != TokenKind.End)
            {
                if (Peek.Is(')'))
                    throw new ExpressionException(
                        $"unbalanced parenthesis: ')' at column {Column(Peek.Position)} has no matching '('", Peek.Position);
                throw Unexpected(Peek);
            }
            return e;
        }

        private Expr ParseSum()
        {
            var left = ParseProduct();
            while (Peek.Is('+') || Peek.Is('-'))
            {
                var op = _tokens[_next++];
                var right = ParseProduct();
                left = Checked(op.Is('+') ? Algebra.Add(left, right) : Algebra.Sub(left, right), op);
            }
            return left;
        }

        private Expr ParseProduct()
        {
            var left = ParseUnary();
            while (Peek.Is('*') || Peek.Is('/'))
            {
                var op = _tokens[_next++];
                var right = ParseUnary();
                left = Checked(op.Is('*') ? Algebra.Mul(left, right) : Algebra.Div(left, right), op);
            }
            return left;
        }

        private Expr ParseUnary()
        {
            // Every kind of nesting (parentheses, function arguments, exponents, chains of signs)
            // passes through here, so this one counter bounds the recursion.
            if (++_nesting > MaxNesting)
                throw new ExpressionException(
                    $"expression nested too deeply at column {Column(Peek.Position)} (more than {MaxNesting} levels)", Peek.Position);
            try
            {
                if (Peek.Is('-'))
                {
                    var op = _tokens[_next++];
                    return Checked(Algebra.Neg(ParseUnary()), op);
                }
                if (Peek.Is('+'))
                {
                    _next++;
                    return ParseUnary();
                }
                return ParsePower();
            }
            finally
            {
                _nesting--;
            }
        }

        private Expr ParsePower()
        {
            var b = ParsePrimary();
            if (!Peek.Is('^')) return b;
            var op = _tokens[_next++];
            var exponent = ParseUnary();
            return Checked(Algebra.Pow(b, exponent), op);
        }

        private Expr ParsePrimary()
        {
            var t = Peek;
            switch (t.Kind)
            {
                case TokenKind.Number:
                    _next++;
                    if (!double.IsFinite(t.Value))
                        throw new ExpressionException(
                            $"number '{t.Text}' at column {Column(t.Position)} is too large (numbers must be finite)", t.Position);
                    return new Constant(t.Value, _variables);

                case TokenKind.Name:
                    _next++;
                    return ParseName(t);

                case TokenKind.Symbol when t.Is('('):
                {
                    _next++;
                    var inner = ParseSum();
                    Expect(')', t);
                    return inner;
                }

                case TokenKind.End:
                    throw new ExpressionException("unexpected end of expression", _length);

                default:
                    throw Unexpected(t);
            }
        }

        private Expr ParseName(Token t)
        {
            string name = t.Text;
            bool call = Peek.Is('(');
            int varIndex = IndexOf(name);

            if (MathFunctions.ByName.TryGetValue(name, out var f) && varIndex < 0)
            {
                if (!call)
                    throw new ExpressionException(
                        $"function '{name}' at column {Column(t.Position)} needs an argument in parentheses, e.g. {name}(x)", t.Position);
                var open = _tokens[_next++];
                var arg = ParseSum();
                Expect(')', open);
                return Checked(Algebra.Call(f, arg), t);
            }
            if (call)
            {
                string what = varIndex >= 0 || ConstantNames.Contains(name)
                    ? $"'{name}' at column {Column(t.Position)} is not a function (multiplication needs an explicit '*')"
                    : $"unknown function '{name}' at column {Column(t.Position)} (known: {string.Join(", ", MathFunctions.ByName.Keys.Order())})";
                throw new ExpressionException(what, t.Position);
            }
            if (varIndex >= 0) return new Variable(varIndex, _variables);
            if (name == "pi") return new Constant(Math.PI, _variables, "pi");
            if (name == "e") return new Constant(Math.E, _variables, "e");
            if (name.Equals("nan", StringComparison.OrdinalIgnoreCase) || name.Equals("inf", StringComparison.OrdinalIgnoreCase)
                || name.Equals("infinity", StringComparison.OrdinalIgnoreCase))
                throw new ExpressionException(
                    $"'{name}' at column {Column(t.Position)} is not allowed: NaN and infinity cannot be written in expressions", t.Position);
            string allowed = _variables.Count == 0 ? "none" : string.Join(", ", _variables);
            throw new ExpressionException(
                $"unknown variable '{name}' at column {Column(t.Position)} (allowed: {allowed})", t.Position);
        }

        private int IndexOf(string name)
        {
            for (int i = 0; i < _variables.Count; i++)
                if (_variables[i] == name) return i;
            return -1;
        }

        private void Expect(char close, Token open)
        {
            if (Peek.Is(close))
            {
                _next++;
                return;
            }
            if (Peek.Kind == TokenKind.End)
                throw new ExpressionException(
                    $"unbalanced parenthesis: '(' at column {Column(open.Position)} is never closed", open.Position);
            throw new ExpressionException(
                $"expected ')' at column {Column(Peek.Position)} to close '(' at column {Column(open.Position)}, found '{Peek.Text}'",
                Peek.Position);
        }

        private static ExpressionException Unexpected(Token t) =>
            new($"unexpected '{t.Text}' at column {Column(t.Position)}", t.Position);

        /// <summary>Long chains (x+x+...+x) are flat to parse but deep as trees; bound the tree too.</summary>
        private static Expr Checked(Expr e, Token at)
        {
            if (e.Depth > Expr.MaxTreeDepth)
                throw new ExpressionException(
                    $"expression too long at column {Column(at.Position)} (more than {Expr.MaxTreeDepth} nested operations)", at.Position);
            return e;
        }
    }
}
