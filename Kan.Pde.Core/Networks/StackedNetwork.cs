using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// Several networks side by side, one per output field (e.g. separate networks for u, v and p): the
/// outputs, and their jets, are concatenated in order. Grid operations reach every part that has a grid.
/// </summary>
public sealed class StackedNetwork : INetwork, IAdaptiveGrid
{
    private readonly INetwork[] _parts;

    /// <summary>Stacks <paramref name="parts"/>, which must share their input dimension.</summary>
    public StackedNetwork(IReadOnlyList<INetwork> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("a stacked network needs at least one part");
        if (parts.Any(p => p.InputDimension != parts[0].InputDimension)) throw new ArgumentException("all parts must take the same inputs");
        _parts = parts.ToArray();
    }

    /// <summary>The parts, in output order.</summary>
    public IReadOnlyList<INetwork> Parts => _parts;

    /// <inheritdoc />
    public int InputDimension => _parts[0].InputDimension;

    /// <inheritdoc />
    public int OutputDimension => _parts.Sum(p => p.OutputDimension);

    /// <inheritdoc />
    public long ParameterCount => _parts.Sum(p => p.ParameterCount);

    /// <inheritdoc />
    public IReadOnlyList<Parameter> TrainableParameters => _parts.SelectMany(p => p.TrainableParameters).ToArray();

    /// <inheritdoc />
    public string Description => $"{_parts.Length} × {_parts[0].Description}";

    /// <inheritdoc />
    public Tensor Forward(Tensor points) => cat(_parts.Select(p => p.Forward(points)).ToArray(), 1);

    /// <inheritdoc />
    public Jet Propagate(Jet input)
    {
        var jets = _parts.Select(p => p.Propagate(input)).ToArray();
        Tensor? Join(Func<Jet, Tensor?> pick) => jets.All(j => pick(j) is not null) ? cat(jets.Select(j => pick(j)!).ToArray(), -1) : null;
        return new Jet(Join(j => j.Value)!, Join(j => j.Gradient), Join(j => j.Second)) { Order = input.Order };
    }

    /// <inheritdoc />
    public int GridSize => _parts.OfType<IAdaptiveGrid>().Select(p => p.GridSize).DefaultIfEmpty(0).Max();

    /// <inheritdoc />
    public void UpdateGridFromSamples(Tensor x)
    {
        foreach (var p in _parts.OfType<IAdaptiveGrid>()) p.UpdateGridFromSamples(x);
    }

    /// <inheritdoc />
    public void ExtendGrid(int newGridSize, Tensor x)
    {
        foreach (var p in _parts.OfType<IAdaptiveGrid>()) p.ExtendGrid(newGridSize, x);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var p in _parts) p.Dispose();
    }
}
