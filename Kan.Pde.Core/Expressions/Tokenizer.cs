using System.Globalization;

namespace Kan.Pde.Core.Expressions;

internal enum TokenKind { Number, Name, Symbol, End }

/// <summary>One lexical unit; <see cref="Position"/> is its 0-based offset in the source text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, double Value = 0)
{
    public bool Is(char symbol) => Kind == TokenKind.Symbol && Text.Length == 1 && Text[0] == symbol;
}

/// <summary>Splits expression text into numbers, names and the symbols + - * / ^ ( ).</summary>
internal static class Tokenizer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            int start = i;
            if (IsDigit(c) || (c == '.' && i + 1 < text.Length && IsDigit(text[i + 1])))
            {
                i = ScanNumber(text, i);
                string s = text[start..i];
                // The grammar guarantees a parse; an overflow (1e999) becomes infinity and is refused by the parser.
                double v = double.Parse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
                tokens.Add(new Token(TokenKind.Number, s, start, v));
            }
            else if (IsIdentifierStart(c))
            {
                while (i < text.Length && IsIdentifierPart(text[i])) i++;
                tokens.Add(new Token(TokenKind.Name, text[start..i], start));
            }
            else if ("+-*/^()".Contains(c))
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start));
                i++;
            }
            else
            {
                string shown = char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString();
                throw new ExpressionException(
                    $"unexpected character '{shown}' at column {ExpressionParser.Column(start)}", start);
            }
        }
        tokens.Add(new Token(TokenKind.End, "end of expression", text.Length));
        return tokens;
    }

    public static bool IsIdentifier(string s) =>
        s.Length > 0 && IsIdentifierStart(s[0]) && s.All(IsIdentifierPart);

    /// <summary>digits [. digits] [(e|E) [+|-] digits]; the exponent is taken only when digits follow, so "2e" stays 2 then e.</summary>
    private static int ScanNumber(string text, int i)
    {
        while (i < text.Length && IsDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && IsDigit(text[i])) i++;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            int j = i + 1;
            if (j < text.Length && (text[j] == '+' || text[j] == '-')) j++;
            if (j < text.Length && IsDigit(text[j]))
            {
                while (j < text.Length && IsDigit(text[j])) j++;
                i = j;
            }
        }
        return i;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);
}
