namespace Kan.Pde.Core.Expressions;

/// <summary>
/// A math expression could not be parsed. <see cref="Position"/> is the 0-based character offset
/// of the offending token inside the expression text, so callers that embed expressions in a
/// larger file (specs) can translate it into a file column.
/// </summary>
public sealed class ExpressionException : Exception
{
    /// <summary>0-based character offset in the expression text where the problem was found.</summary>
    public int Position { get; }

    /// <summary>The problem without any location prefix, e.g. "unknown function 'sinn' at column 5".</summary>
    public ExpressionException(string message, int position) : base(message)
    {
        Position = position;
    }
}
