namespace Kan.Pde.Runner.Spec;

/// <summary>
/// A validated comparison: several models trained on one problem with the same collocation points, loss weights,
/// schedule, evaluation mesh and seeds. <see cref="Shared"/> holds everything but the model (its
/// <see cref="SolveSpec.Model"/> is the first compared model).
/// </summary>
/// <param name="Shared">Problem, points, loss, schedule, evaluation, dtype, device, threads, name and output folder.</param>
/// <param name="Models">The models, in spec order, each with its seeds.</param>
/// <param name="StepPlot">Labels of the models drawn in the error-against-step plot (all by default).</param>
public sealed record CompareSpec(SolveSpec Shared, IReadOnlyList<ComparedModel> Models, IReadOnlyList<string> StepPlot)
{
    /// <summary>The comparison's name.</summary>
    public string Name => Shared.Name;

    /// <summary>Default output folder.</summary>
    public string Output => Shared.Output;

    /// <summary>Number of training runs (models × their seeds).</summary>
    public int RunCount => Models.Sum(m => m.Seeds.Count);

    /// <summary>
    /// The solve spec of one run. The shared schedule applies to every model stage by stage, with the same
    /// optimizers, step counts and settings; its KAN-only keys (<c>grid</c>, <c>grid_update_at</c>) act on KANs and
    /// are ignored for MLPs, so an MLP trains the same number of steps with a fresh optimizer at the same stage starts.
    /// </summary>
    public SolveSpec RunSpec(ComparedModel model, int seed) => Shared with
    {
        Name = $"{Shared.Name}-{model.Slug}-seed{seed}",
        Model = model.Model,
        Schedule = ScheduleFor(model.Model.Type, Shared.Schedule),
        Seed = seed,
    };

    /// <summary>The shared schedule as it applies to a model of type <paramref name="type"/>.</summary>
    public static IReadOnlyList<StageSpec> ScheduleFor(ModelType type, IReadOnlyList<StageSpec> schedule) =>
        type == ModelType.Kan ? schedule : schedule.Select(s => s with { Grid = null, GridUpdateAt = Array.Empty<int>() }).ToArray();
}

/// <summary>One model of a comparison.</summary>
/// <param name="Label">Unique display name, e.g. "KAN [2,10,1]" or "MLP [2,100,100,100,1] tanh".</param>
/// <param name="Slug">File-system form of the label (lower case, digits and '-'), unique within the comparison.</param>
/// <param name="Model">The validated network description.</param>
/// <param name="Seeds">Seeds to train it with (distinct, in order).</param>
/// <param name="Series">Scaling-law group: KANs of one width list (across grid sizes), or MLPs of one depth and
/// activation (across widths). Points of a series are fitted with one power law.</param>
/// <param name="Configuration">Canonical text of everything that determines a run of this model except the seed
/// (shared sections and the model entry without its label, series and seeds); a resumed comparison reuses a finished
/// run only when it matches.</param>
public sealed record ComparedModel(string Label, string Slug, ModelSpec Model, IReadOnlyList<int> Seeds, string Series,
    string Configuration);
