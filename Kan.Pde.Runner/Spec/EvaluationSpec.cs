namespace Kan.Pde.Runner.Spec;

/// <summary>The mesh (with end points) on which the trained solution is evaluated and compared; Points[d] along coordinate d.</summary>
public sealed record EvaluationSpec(IReadOnlyList<int> Points)
{
    /// <summary>Reference sample sets (<c>evaluation.reference</c>) compared with the trained solution.</summary>
    public IReadOnlyList<ReferenceSpec> References { get; init; } = Array.Empty<ReferenceSpec>();
}
