namespace Kan.Pde.Runner.Spec;

/// <summary>
/// A solve spec is malformed or invalid. <see cref="Exception.Message"/> is one line,
/// "FILE:LINE:COL: field 'PATH': PROBLEM", so that editors and CI logs can jump to the spot.
/// </summary>
public sealed class SpecException : Exception
{
    public SpecException(string file, long line, long column, string field, string problem)
        : base($"{SpecText.OneLine(file)}:{line}:{column}: field '{SpecText.OneLine(field)}': {SpecText.OneLine(problem)}")
    {
        File = file;
        Line = line;
        Column = column;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file name given to the loader.</summary>
    public string File { get; }

    /// <summary>1-based line of the offending node (for a missing field: of the mapping that lacks it).</summary>
    public long Line { get; }

    /// <summary>1-based column.</summary>
    public long Column { get; }

    /// <summary>Dotted path of the field, e.g. "model.widths[0]"; "(root)" or "(yaml)" when no field applies.</summary>
    public string Field { get; }

    /// <summary>What is wrong and what is expected.</summary>
    public string Problem { get; }
}
