using Kan.Pde.Core.Symbolic;

namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] InterpretKeys =
        { "regularization", "prune", "snap", "min_r2", "retrain", "freeze_splines", "digits", "drop_below" };
    private static readonly string[] RegularizationKeys = { "weight", "l1", "entropy" };
    private static readonly string[] PruneKeys = { "node_threshold", "edge_threshold" };
    private static readonly string[] SnapKeys = { "layer", "functions" };

    /// <summary>The optional <c>interpret:</c> section (null when absent); needs a KAN.</summary>
    private static InterpretSpec? ReadInterpret(SpecNode? node, ModelSpec model)
    {
        if (node is null) return null;
        var m = node.AsMapping(InterpretKeys);
        if (model.Type != ModelType.Kan)
            throw node.Error("interpretation needs a kan model (model.type is mlp)");
        int layers = model.Widths.Count - 1;

        RegularizationSpec? regularization = null;
        if (m.Optional("regularization") is { } regNode)
        {
            var r = regNode.AsMapping(RegularizationKeys);
            regularization = new RegularizationSpec(
                r.Required("weight", "the weight λ of the term in the loss (a number > 0)").AsDouble(min: 0, exclusiveMin: true),
                r.Optional("l1")?.AsDouble(min: 0) ?? 1.0,
                r.Optional("entropy")?.AsDouble(min: 0) ?? 1.0);
        }

        PruneSpec? prune = null;
        if (m.Optional("prune") is { } pruneNode)
        {
            var p = pruneNode.AsMapping(PruneKeys);
            prune = new PruneSpec(p.Optional("node_threshold")?.AsDouble(min: 0) ?? 1e-2, p.Optional("edge_threshold")?.AsDouble(min: 0) ?? 0);
        }

        var rules = new List<SnapRule>();
        if (m.Optional("snap") is { } snapNode)
        {
            foreach (var item in snapNode.AsSequence())
            {
                var s = item.AsMapping(SnapKeys);
                var layerNode = s.Required("layer", $"a layer index 0..{layers - 1}");
                int layer = layerNode.AsInt(min: 0, max: layers - 1);
                if (rules.Any(r => r.Layer == layer)) throw layerNode.Error($"layer {layer} already has a snap rule");
                var functionsNode = s.Required("functions", $"a list of library functions ({string.Join(", ", SymbolicLibrary.Names)})");
                var names = functionsNode.AsSequence();
                if (names.Count == 0) throw functionsNode.Error("expected at least one function");
                var functions = new List<string>();
                foreach (var nameNode in names)
                {
                    string name = nameNode.AsString();
                    if (SymbolicLibrary.Find(name) is null)
                        throw nameNode.Error($"unknown function {SpecText.Quote(name)} (known: {string.Join(", ", SymbolicLibrary.Names)})");
                    if (functions.Contains(name)) throw nameNode.Error($"function {SpecText.Quote(name)} is listed twice");
                    functions.Add(name);
                }
                rules.Add(new SnapRule(layer, functions));
            }
        }

        IReadOnlyList<StageSpec> retrain = new[] { InterpretSpec.DefaultRetrainStage };
        if (m.Optional("retrain") is { } retrainNode)
        {
            var items = retrainNode.AsSequence();
            if (items.Count == 0) throw retrainNode.Error("expected at least one stage, e.g. - {optimizer: lbfgs, steps: 50}");
            // The grid is not touched after snapping; the stage reader checks everything else.
            foreach (var item in items) item.AsMapping(StageKeys).Forbid(KanStageKeys, "the grid stays fixed while snapped edges retrain");
            retrain = items.Select(item => ReadStage(item, kanStageKeys: model.Type == ModelType.Kan)).ToArray();
        }

        return new InterpretSpec(
            regularization,
            prune,
            rules,
            m.Optional("min_r2")?.AsDouble(min: 0, max: 1) ?? 0,
            retrain,
            m.Optional("freeze_splines")?.AsChoice("true", "false") != "false",
            m.Optional("digits")?.AsInt(min: 1, max: 15) ?? 6,
            m.Optional("drop_below")?.AsDouble(min: 0, max: 0.5) ?? 1e-6);
    }
}
