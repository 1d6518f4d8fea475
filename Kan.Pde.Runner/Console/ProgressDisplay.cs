using System.Diagnostics;
using System.Globalization;
using Kan.Pde.Core.Training;

namespace Kan.Pde.Runner.Console;

/// <summary>
/// Shows training progress. On a terminal: one line rewritten in place with a bar, the step, the loss terms, the
/// error and the time left. When output is redirected (a log file, a pipe, CI): a plain line every few seconds and
/// at every stage end, without carriage returns or bars, so logs stay readable.
/// </summary>
public sealed class ProgressDisplay
{
    private const int BarWidth = 20;
    private readonly int _totalSteps;
    private readonly bool _interactive;
    private readonly bool _quiet;
    private readonly int _maxWidth;
    private readonly double _plainInterval;
    private readonly TextWriter _out;
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
    private int _lastStage = -1;
    private bool _lineOpen;
    private (int Step, double Seconds)? _first;

    /// <summary>Creates a display for a run of <paramref name="totalSteps"/> steps on the process's standard output.</summary>
    public ProgressDisplay(int totalSteps, bool quiet, TextWriter? output = null)
        : this(totalSteps, quiet, output ?? System.Console.Out,
            interactive: output is null && !System.Console.IsOutputRedirected,
            maxWidth: output is null && !System.Console.IsOutputRedirected ? TerminalWidth() : int.MaxValue)
    {
    }

    /// <summary>
    /// Creates a display writing to <paramref name="output"/>: in place (a bar, at most <paramref name="maxWidth"/>
    /// characters) when <paramref name="interactive"/>, else plain lines every <paramref name="plainIntervalSeconds"/>.
    /// </summary>
    public ProgressDisplay(int totalSteps, bool quiet, TextWriter output, bool interactive, int maxWidth = int.MaxValue,
        double plainIntervalSeconds = 5)
    {
        _totalSteps = Math.Max(1, totalSteps);
        _quiet = quiet;
        _out = output;
        _interactive = interactive;
        _maxWidth = Math.Max(20, maxWidth);
        _plainInterval = plainIntervalSeconds;
    }

    /// <summary>Reports one step.</summary>
    public void Report(StepRecord r)
    {
        if (_quiet) return;
        _first ??= (r.Step, r.Seconds);
        bool last = r.Step + 1 >= _totalSteps;
        bool stageEnd = last || (_lastStage >= 0 && r.Stage != _lastStage);
        _lastStage = r.Stage;
        if (_interactive)
        {
            string line = Fit(Bar(r.Step + 1) + " " + Describe(r));
            _out.Write("\r" + line.PadRight(Math.Min(_maxWidth - 1, Math.Max(line.Length, 20))));
            _lineOpen = true;
            if (last) EndLine();
        }
        else if (stageEnd || _sinceLastLine.Elapsed.TotalSeconds >= _plainInterval || r.Step == _first.Value.Step)
        {
            _out.WriteLine(Describe(r));
            _sinceLastLine.Restart();
        }
    }

    /// <summary>Prints a message on its own line (after the in-place line, if one is showing).</summary>
    public void Note(string message)
    {
        if (_quiet) return;
        EndLine();
        _out.WriteLine(message);
    }

    /// <summary>Ends the in-place line, so that whatever is printed next starts on a fresh line.</summary>
    public void EndLine()
    {
        if (!_lineOpen) return;
        _out.WriteLine();
        _lineOpen = false;
    }

    /// <summary>The text of one step: step, grid, total and per-term losses, error, elapsed time and the estimate of time left.</summary>
    public string Describe(StepRecord r)
    {
        var c = CultureInfo.InvariantCulture;
        string terms = string.Join(" ", r.Terms.Select(t => string.Create(c, $"{t.Key} {t.Value:E2}")));
        string error = r.RelativeL2 is double e ? string.Create(c, $" | rel L2 {e:E2}") : "";
        string grid = r.GridSize > 0 ? $" G={r.GridSize}" : "";
        return string.Create(c, $"step {r.Step + 1,5}/{_totalSteps}{grid} | loss {r.TotalLoss:E3} ({terms}){error} | {r.Seconds,6:F1}s eta {Eta(r)}");
    }

    // Time left from the pace of this process's steps: a resumed run's earlier seconds say nothing about now.
    private string Eta(StepRecord r)
    {
        var (step0, seconds0) = _first ?? (r.Step, r.Seconds);
        int done = r.Step - step0;
        double perStep = done > 0 ? (r.Seconds - seconds0) / done : r.Seconds / (r.Step + 1);
        double left = Math.Max(0, perStep * (_totalSteps - r.Step - 1));
        return left >= 3600 ? $"{left / 3600:F1}h" : left >= 120 ? $"{left / 60:F0}m" : $"{left:F0}s";
    }

    private string Bar(int done)
    {
        int filled = (int)Math.Round((double)BarWidth * Math.Min(done, _totalSteps) / _totalSteps);
        int percent = (int)(100L * Math.Min(done, _totalSteps) / _totalSteps);
        return $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {percent,3}%";
    }

    // A line wider than the terminal wraps, and a carriage return then rewrites only its last part.
    private string Fit(string line) => line.Length < _maxWidth ? line : line[..(_maxWidth - 2)] + "…";

    private static int TerminalWidth()
    {
        try
        {
            int width = System.Console.WindowWidth;
            return width > 0 ? width : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }
}
