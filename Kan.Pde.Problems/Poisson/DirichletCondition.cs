using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Problems.Poisson;

/// <summary>u = value on one face of the box (e.g. "x-min") or on all of them ("all").</summary>
public sealed record DirichletCondition(string Face, Expr Value)
{
    /// <summary>The face name meaning every face.</summary>
    public const string AllFaces = "all";
}
