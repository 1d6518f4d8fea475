namespace Kan.Pde.Runner.Spec;

public static partial class SpecLoader
{
    private static readonly string[] CheckpointKeys = { "every_steps", "every_minutes", "folder", "keep" };
    private static readonly string[] DivergenceKeys = { "loss_growth", "rollbacks", "learning_rate_factor" };

    /// <summary><c>checkpoint:</c> (absent: no checkpoints; an empty mapping: every 10 minutes and at grid changes).</summary>
    private static CheckpointSpec? ReadCheckpoint(SpecNode? node)
    {
        if (node is null) return null;
        if (node.Node is YamlDotNet.RepresentationModel.YamlMappingNode { Children.Count: 0 }) return CheckpointSpec.Default;
        var m = node.AsMapping(CheckpointKeys);
        int? steps = m.Optional("every_steps")?.AsInt(min: 1);
        double? minutes = m.Optional("every_minutes")?.AsDouble(min: 0, max: 1e6, exclusiveMin: true);
        string? folder = null;
        if (m.Optional("folder") is { } folderNode)
        {
            folder = folderNode.AsString();
            if (folder.Trim().Length == 0 || folder.Any(char.IsControl))
                throw folderNode.Error("expected a folder path without control characters");
        }
        int keep = m.Optional("keep")?.AsInt(min: 1, max: 1000) ?? CheckpointSpec.Default.Keep;
        if (steps is null && minutes is null) minutes = CheckpointSpec.Default.EveryMinutes;
        return new CheckpointSpec(steps, minutes, folder, keep);
    }

    /// <summary><c>on_divergence: stop | rollback</c> and <c>divergence: {…}</c>.</summary>
    private static DivergenceSpec ReadDivergence(SpecNode? actionNode, SpecNode? settingsNode)
    {
        var d = DivergenceSpec.Default;
        if (actionNode is not null)
            d = d with { Action = actionNode.AsChoice("stop", "rollback") == "rollback" ? DivergenceAction.Rollback : DivergenceAction.Stop };
        if (settingsNode is null) return d;
        var m = settingsNode.AsMapping(DivergenceKeys);
        return d with
        {
            LossGrowth = m.Optional("loss_growth")?.AsDouble(min: 1, max: 1e300, exclusiveMin: true) ?? d.LossGrowth,
            Rollbacks = m.Optional("rollbacks")?.AsInt(min: 0, max: 100) ?? d.Rollbacks,
            LearningRateFactor = m.Optional("learning_rate_factor")?.AsDouble(min: 0, max: 1, exclusiveMin: true) ?? d.LearningRateFactor,
        };
    }
}
