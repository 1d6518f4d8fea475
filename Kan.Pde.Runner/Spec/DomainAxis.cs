namespace Kan.Pde.Runner.Spec;

/// <summary>One coordinate of a box domain: the variable <paramref name="Name"/> ranges over [Lo, Hi].</summary>
public sealed record DomainAxis(string Name, double Lo, double Hi);
