using static TorchSharp.torch;

namespace Kan.Pde.Core.Derivatives;

/// <summary>
/// How derivatives of the network are computed is the evaluator's business, not the problem's:
/// a problem asks for what it needs at some points and gets a <see cref="Field"/>.
/// </summary>
public interface IFieldEvaluator
{
    /// <summary>Name for reports ("forward", "reverse").</summary>
    string Mode { get; }

    /// <summary>The field at points [N, D] with at least the requested derivatives.</summary>
    Field Evaluate(Tensor points, FieldNeeds needs);
}

/// <summary>Evaluation of several point sets at once.</summary>
public static class FieldEvaluatorExtensions
{
    /// <summary>
    /// Evaluates the field on several point sets in one pass (the sets concatenated, with the highest
    /// derivative order any of them needs) and returns one field per set. Small problems are bound by the
    /// number of tensor operations, not by arithmetic, so one pass over N + M points beats two passes.
    /// </summary>
    public static IReadOnlyList<Field> EvaluateTogether(this IFieldEvaluator evaluator, params (Tensor Points, FieldNeeds Needs)[] sets)
    {
        if (sets.Length == 1) return new[] { evaluator.Evaluate(sets[0].Points, sets[0].Needs) };
        var needs = sets.Aggregate((FieldNeeds)0, (all, s) => all | s.Needs);
        var field = evaluator.Evaluate(Joined(sets.Select(s => s.Points).ToArray()), needs);
        var result = new Field[sets.Length];
        long offset = 0;
        for (int i = 0; i < sets.Length; i++)
        {
            long n = sets[i].Points.shape[0];
            // Only what the set asked for: every view is one more operation per evaluation.
            var own = sets[i].Needs;
            result[i] = new Field(field.Value.narrow(0, offset, n),
                own.HasFlag(FieldNeeds.Gradient) ? field.Gradient?.narrow(0, offset, n) : null,
                own.HasFlag(FieldNeeds.SecondDiagonal) ? field.SecondDiagonal?.narrow(0, offset, n) : null);
            offset += n;
        }
        return result;
    }

    // Training evaluates the same point sets again and again: the concatenation is kept (as long as the first set
    // lives) so that it is one and the same tensor each time, which lets a network keep what it derived from its
    // input points (see KanLayer's input features) instead of recomputing it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tensor, JoinedPoints> Joins = new();

    private sealed record JoinedPoints(Tensor[] Parts, Tensor All);

    private static Tensor Joined(Tensor[] parts)
    {
        if (parts.Any(p => p.requires_grad)) return cat(parts, 0);
        lock (Joins)
        {
            if (Joins.TryGetValue(parts[0], out var joined) && joined.Parts.Length == parts.Length && !joined.All.IsInvalid
                && joined.Parts.Zip(parts).All(pair => ReferenceEquals(pair.First, pair.Second) && !pair.Second.IsInvalid))
                return joined.All;
            var all = cat(parts, 0).DetachFromDisposeScope();
            Joins.AddOrUpdate(parts[0], new JoinedPoints(parts, all));
            return all;
        }
    }
}
