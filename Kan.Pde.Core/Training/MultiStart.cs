using Kan.Pde.Core.Networks;

namespace Kan.Pde.Core.Training;

/// <summary>The outcome of a multi-start: the chosen network and what every candidate reached.</summary>
/// <param name="Best">The candidate with the lowest trial loss (the others are disposed).</param>
/// <param name="BestIndex">Its index among the candidates.</param>
/// <param name="TrialLosses">Final total loss of each candidate's trial (∞ for a diverged one).</param>
/// <param name="Evaluations">Loss evaluations spent on all trials.</param>
public sealed record MultiStartResult(INetwork Best, int BestIndex, IReadOnlyList<double> TrialLosses, long Evaluations);

/// <summary>
/// Multi-start initialization: several networks from different initial weights each train a few steps of
/// the first stage, and the one with the lowest loss goes on. Small KANs such as [2,2,1] on
/// sin(πx)·sin(πy) fall, depending on their initial weights, into a basin where each hidden node sees one
/// coordinate only and the error stalls near 0.2; after five steps such runs already have a loss several
/// times higher than the others (measured 0.15–0.3 against 0.03–0.05), so a short trial tells them apart.
/// </summary>
public static class MultiStart
{
    /// <summary>
    /// Trains each candidate with <paramref name="trial"/> through the trainer <paramref name="trainerFor"/>
    /// builds for it; keeps the best, disposes the rest.
    /// </summary>
    public static MultiStartResult Select(IReadOnlyList<INetwork> candidates, Func<INetwork, Trainer> trainerFor, ScheduleStage trial) =>
        Select(candidates, candidate =>
        {
            var result = trainerFor(candidate).Run(new[] { trial });
            return (result.History.Count > 0 ? result.History[^1].TotalLoss : double.PositiveInfinity, result.Evaluations);
        });

    /// <summary>
    /// Runs <paramref name="trial"/> on each candidate (it trains the candidate and returns the loss to compare and the
    /// loss evaluations spent); keeps the one with the lowest loss, disposes the rest. A non-finite loss, or a trial
    /// that diverges, counts as ∞.
    /// </summary>
    public static MultiStartResult Select(IReadOnlyList<INetwork> candidates, Func<INetwork, (double Loss, long Evaluations)> trial)
    {
        if (candidates.Count == 0) throw new ArgumentException("multi-start needs at least one candidate");
        var losses = new double[candidates.Count];
        long evaluations = 0;
        for (int c = 0; c < candidates.Count; c++)
        {
            try
            {
                var (loss, spent) = trial(candidates[c]);
                evaluations += spent;
                losses[c] = double.IsFinite(loss) ? loss : double.PositiveInfinity;
            }
            catch (TrainingDivergedException)
            {
                losses[c] = double.PositiveInfinity;
            }
        }
        int best = Array.IndexOf(losses, losses.Min());
        for (int c = 0; c < candidates.Count; c++)
            if (c != best) candidates[c].Dispose();
        return new MultiStartResult(candidates[best], best, losses, evaluations);
    }
}
