using System.Diagnostics;
using Kan.Pde.Core.Training;

namespace Kan.Pde.Runner.Console;

/// <summary>
/// Shows training progress: on a terminal one line rewritten in place (step, losses, error, ETA); when
/// output is redirected, a plain line every few seconds and at stage ends, so logs stay readable.
/// </summary>
public sealed class ProgressDisplay
{
    private readonly int _totalSteps;
    private readonly bool _interactive;
    private readonly bool _quiet;
    private readonly TextWriter _out;
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
    private int _lastStage = -1;

    /// <summary>Creates a display for a run of <paramref name="totalSteps"/> steps.</summary>
    public ProgressDisplay(int totalSteps, bool quiet, TextWriter? output = null)
    {
        _totalSteps = totalSteps;
        _quiet = quiet;
        _out = output ?? System.Console.Out;
        _interactive = output is null && !System.Console.IsOutputRedirected;
    }

    /// <summary>Reports one step.</summary>
    public void Report(StepRecord r)
    {
        if (_quiet) return;
        bool stageEnd = r.Step + 1 == _totalSteps || r.Stage != _lastStage;
        double perStep = r.Seconds / (r.Step + 1);
        double eta = perStep * (_totalSteps - r.Step - 1);
        string terms = string.Join(" ", r.Terms.Select(t => $"{t.Key} {t.Value:E2}"));
        string error = r.RelativeL2 is double e ? $" | rel L2 {e:E2}" : "";
        string grid = r.GridSize > 0 ? $" G={r.GridSize}" : "";
        string line = $"step {r.Step + 1,5}/{_totalSteps}{grid} | loss {r.TotalLoss:E3} ({terms}){error} | {r.Seconds,6:F1}s eta {eta:F0}s";
        if (_interactive)
        {
            _out.Write("\r" + line.PadRight(Math.Max(line.Length, 20)));
            if (r.Step + 1 == _totalSteps) _out.WriteLine();
        }
        else if (stageEnd || _sinceLastLine.Elapsed.TotalSeconds >= 5)
        {
            _out.WriteLine(line);
            _sinceLastLine.Restart();
        }
        _lastStage = r.Stage;
    }
}
