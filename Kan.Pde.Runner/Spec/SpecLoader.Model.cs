namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] KanOnlyKeys = { "grid", "order", "grid_range", "grid_eps", "base_activation" };
    private static readonly string[] MlpOnlyKeys = { "activation" };
    private static readonly string[] ModelKeys = new[] { "type", "widths", "outputs", "input_scaling", "hard_boundary" }.Concat(KanOnlyKeys).Concat(MlpOnlyKeys).ToArray();
    private static readonly string[] MlpActivations = { "tanh", "sin", "silu", "gelu", "softplus" };

    /// <param name="extraKeys">Further keys the caller reads itself from the same mapping (compare's model entries).</param>
    private static ModelSpec ReadModel(SpecNode node, int dimension, Kan.Pde.Core.Training.IPdeProblem problem, IReadOnlyList<string> variables,
        IReadOnlyCollection<string>? extraKeys = null)
    {
        var model = ReadNetworkModel(node, dimension, problem, extraKeys);
        var hard = node.AsMapping(AllowedModelKeys(extraKeys)).Optional("hard_boundary");
        return hard is null ? model : model with { HardBoundary = ReadHardBoundary(hard, problem, variables) };
    }

    /// <summary><c>hard_boundary: {distance: EXPR, value: EXPR | [EXPR or ~ per output]}</c>; value defaults to 0.</summary>
    private static HardBoundarySpec ReadHardBoundary(SpecNode node, Kan.Pde.Core.Training.IPdeProblem problem, IReadOnlyList<string> variables)
    {
        var m = node.AsMapping(new[] { "distance", "value" });
        var distance = m.Required("distance", "an expression that vanishes on the boundary, e.g. (1 - x^2)*(1 - y^2)").AsExpression(variables);
        int outputs = problem.OutputDimension;
        var zero = Kan.Pde.Core.Expressions.Expr.Constant(0, variables);
        if (m.Optional("value") is not { } valueNode)
            return new HardBoundarySpec(distance, Enumerable.Repeat<Kan.Pde.Core.Expressions.Expr?>(zero, outputs).ToArray());
        if (valueNode.Node is not YamlDotNet.RepresentationModel.YamlSequenceNode)
        {
            if (outputs != 1)
                throw valueNode.Error($"{problem.Family} has {outputs} outputs ({string.Join(", ", problem.OutputNames)}); give a list with one value per output (~ leaves one free)");
            return new HardBoundarySpec(distance, new[] { valueNode.AsExpression(variables) });
        }
        var items = valueNode.AsSequence();
        if (items.Count != outputs) throw valueNode.Error($"expected {outputs} values, one per output ({string.Join(", ", problem.OutputNames)}), got {items.Count}");
        var values = items.Select(i => i.IsNull ? null : i.AsExpression(variables)).ToArray();
        if (values.All(v => v is null)) throw valueNode.Error("at least one output must be constrained");
        return new HardBoundarySpec(distance, values);
    }

    private static string[] AllowedModelKeys(IReadOnlyCollection<string>? extraKeys) =>
        extraKeys is null ? ModelKeys : ModelKeys.Concat(extraKeys).ToArray();

    private static ModelSpec ReadNetworkModel(SpecNode node, int dimension, Kan.Pde.Core.Training.IPdeProblem problem,
        IReadOnlyCollection<string>? extraKeys)
    {
        var m = node.AsMapping(AllowedModelKeys(extraKeys));
        var type = m.Required("type", "kan or mlp").AsChoice("kan", "mlp") == "kan" ? ModelType.Kan : ModelType.Mlp;
        if (type == ModelType.Kan) m.Forbid(MlpOnlyKeys, "only for model type mlp (this model is kan)");
        else m.Forbid(KanOnlyKeys, "only for model type kan (this model is mlp)");

        bool separate = m.Optional("outputs")?.AsChoice("shared", "separate") == "separate";
        bool scaling = (m.Optional("input_scaling")?.AsChoice("box", "none") ?? "box") == "box";
        int outputs = problem.OutputDimension;
        int lastWidth = separate ? 1 : outputs;
        string outputNames = string.Join(", ", problem.OutputNames);
        var widthsNode = m.Required("widths", $"a list of layer sizes from {dimension} (inputs) to {lastWidth} (output)");
        var items = widthsNode.AsSequence();
        if (items.Count < 2)
            throw widthsNode.Error($"expected at least 2 layer sizes (input and output), got {items.Count}");
        var widths = items.Select(w => w.AsInt(min: 1, max: 1_000_000)).ToArray();
        if (widths[0] != dimension)
            throw items[0].Error($"the first width must equal the domain dimension {dimension}, got {widths[0]}");
        if (widths[^1] != lastWidth)
            throw items[^1].Error(separate
                ? $"with outputs: separate each output ({outputNames}) has its own network, so the last width must be 1, got {widths[^1]}"
                : $"the last width must be {outputs} ({problem.Family} has the output{(outputs == 1 ? "" : "s")} {outputNames}), got {widths[^1]}");

        if (type == ModelType.Mlp)
            return new ModelSpec(type, widths, null, new MlpSpec(m.Optional("activation")?.AsChoice(MlpActivations) ?? "tanh"))
                { SeparateOutputs = separate ? outputs : 0, InputScaling = scaling };

        int grid = m.Optional("grid")?.AsInt(min: 1, max: 100_000) ?? 5;
        int order = m.Optional("order")?.AsInt(min: 1, max: 5) ?? 3;
        var (lo, hi) = m.Optional("grid_range") is { } rangeNode ? ReadInterval(rangeNode) : (-1.0, 1.0);
        double eps = m.Optional("grid_eps")?.AsDouble(min: 0, max: 1) ?? 0.02;
        string baseActivation = m.Optional("base_activation")?.AsChoice("silu") ?? "silu";
        return new ModelSpec(type, widths, new KanSpec(grid, order, lo, hi, eps, baseActivation), null)
            { SeparateOutputs = separate ? outputs : 0, InputScaling = scaling };
    }
}
