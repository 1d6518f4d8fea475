using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Interpretation;

/// <summary>
/// The KAN inside a trained network, and how the network's inputs reach it: a <see cref="KanNetwork"/> itself, or one
/// behind <see cref="ScaledInputs"/> (x̂ = (x − c)/s), or the single part of a <see cref="StackedNetwork"/>.
/// Snapping, pruning and plots work on the KAN's own inputs; formulas are written in the network's inputs.
/// </summary>
/// <param name="Kan">The KAN.</param>
/// <param name="Scaling">The input map in front of it, or null.</param>
public sealed record InterpretableKan(KanNetwork Kan, ScaledInputs? Scaling)
{
    /// <summary>The KAN in <paramref name="network"/>, or null when there is none (an MLP, several stacked outputs).</summary>
    public static InterpretableKan? Of(INetwork network) => network switch
    {
        KanNetwork kan => new InterpretableKan(kan, null),
        ScaledInputs { Inner: var inner } scaled => Of(inner) is { Scaling: null } found ? found with { Scaling = scaled } : null,
        StackedNetwork { Parts.Count: 1 } stacked => Of(stacked.Parts[0]),
        _ => null,
    };

    /// <summary>The KAN's inputs [N, D] for network inputs <paramref name="x"/> [N, D].</summary>
    public Tensor KanInputs(Tensor x) => Scaling?.Scale(x) ?? x;

    /// <summary>Centre of the input map (zeros without one).</summary>
    public IReadOnlyList<double> Centre => Scaling?.Centre ?? new double[Kan.InputDimension];

    /// <summary>Half-widths of the input map (ones without one).</summary>
    public IReadOnlyList<double> HalfWidth => Scaling?.HalfWidth ?? Enumerable.Repeat(1.0, Kan.InputDimension).ToArray();

    /// <summary>
    /// The outputs as formulas in the network's inputs <paramref name="variables"/>: the KAN's formula with each input
    /// replaced by (x_d − c_d)/s_d, simplified (see <see cref="KanFormula.Compose(KanNetwork, IReadOnlyList{Expr})"/>).
    /// </summary>
    public IReadOnlyList<Expr> Formula(IReadOnlyList<string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var inputs = variables.Select((v, d) =>
        {
            var x = ExpressionParser.Parse(v, variables);
            return Scaling is null ? x : (x - Expr.Constant(Centre[d], variables)) / Expr.Constant(HalfWidth[d], variables);
        }).ToArray();
        return KanFormula.Compose(Kan, inputs);
    }

    /// <summary>A picture of the KAN at network inputs <paramref name="x"/>, with the first layer's curves over the network's inputs.</summary>
    public KanDiagram Diagram(Tensor x, IReadOnlyList<string> inputNames, IReadOnlyList<string> outputNames, int maxPoints = 200)
    {
        var diagram = KanDiagram.Capture(Kan, KanInputs(x), inputNames, outputNames, maxPoints);
        if (Scaling is null) return diagram;
        var c = Centre;
        var s = HalfWidth;
        return diagram with
        {
            Edges = diagram.Edges.Select(e => e.Edge.Layer != 0 ? e
                : e with { Inputs = e.Inputs.Select(v => c[e.Edge.Input] + s[e.Edge.Input] * v).ToArray() }).ToArray(),
        };
    }
}
