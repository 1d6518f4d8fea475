namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] KanOnlyKeys = { "grid", "order", "grid_range", "grid_eps", "base_activation" };
    private static readonly string[] MlpOnlyKeys = { "activation" };
    private static readonly string[] ModelKeys = new[] { "type", "widths", "outputs", "input_scaling" }.Concat(KanOnlyKeys).Concat(MlpOnlyKeys).ToArray();
    private static readonly string[] MlpActivations = { "tanh", "sin", "silu", "gelu", "softplus" };

    /// <param name="extraKeys">Further keys the caller reads itself from the same mapping (compare's model entries).</param>
    private static ModelSpec ReadModel(SpecNode node, int dimension, Kan.Pde.Core.Training.IPdeProblem problem,
        IReadOnlyCollection<string>? extraKeys = null)
    {
        var m = node.AsMapping(extraKeys is null ? ModelKeys : ModelKeys.Concat(extraKeys).ToArray());
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
