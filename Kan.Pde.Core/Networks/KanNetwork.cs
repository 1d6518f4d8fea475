using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>Hyper-parameters of a KAN shared by all its layers.</summary>
/// <param name="GridSize">G, intervals per knot vector.</param>
/// <param name="Order">k, the spline degree.</param>
/// <param name="GridLo">Lower end of the initial knot range (every layer, until its grid is updated).</param>
/// <param name="GridHi">Upper end of the initial knot range.</param>
/// <param name="GridEps">Uniform share of knots in adaptive updates (pykan's grid_eps).</param>
/// <param name="NoiseScale">Scale of the initial random spline coefficients (divided by G).</param>
public sealed record KanOptions(int GridSize = 5, int Order = 3, double GridLo = -1, double GridHi = 1,
    double GridEps = 0.02, double NoiseScale = 0.3);

/// <summary>A Kolmogorov–Arnold network: a stack of <see cref="KanLayer"/>s with widths [n_0, …, n_L].</summary>
public sealed partial class KanNetwork : nn.Module<Tensor, Tensor>, INetwork, IAdaptiveGrid
{
    private readonly ModuleList<KanLayer> _layers;

    /// <summary>Creates a KAN with the given widths, e.g. [2, 10, 1].</summary>
    public KanNetwork(IReadOnlyList<int> widths, KanOptions options, ScalarType dtype = ScalarType.Float64,
        Device? device = null, Generator? generator = null) : base("KanNetwork")
    {
        if (widths.Count < 2) throw new ArgumentException("a KAN needs at least an input and an output width");
        Widths = widths.ToArray();
        Options = options;
        var layers = new List<KanLayer>();
        for (int l = 0; l + 1 < widths.Count; l++)
            layers.Add(new KanLayer(widths[l], widths[l + 1], options.GridSize, options.Order,
                (options.GridLo, options.GridHi), options.GridEps, options.NoiseScale, null, dtype, device, generator));
        _layers = nn.ModuleList(layers.ToArray());
        RegisterComponents();
    }

    /// <summary>Node counts per layer boundary.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>The options the network was built with (grid size is the initial one).</summary>
    public KanOptions Options { get; }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<KanLayer> Layers => _layers.ToArray();

    /// <summary>Current grid size (all layers share it).</summary>
    public int GridSize => _layers[0].Grid.GridSize;

    /// <inheritdoc />
    public int InputDimension => Widths[0];

    /// <inheritdoc />
    public int OutputDimension => Widths[^1];

    /// <inheritdoc />
    public long ParameterCount => _layers.Sum(l => l.ParameterCount);

    /// <inheritdoc />
    public IReadOnlyList<Parameter> TrainableParameters => _layers.SelectMany(l => l.Trainable).ToArray();

    /// <inheritdoc />
    public string Description => $"KAN [{string.Join(",", Widths)}] G={GridSize} k={_layers[0].Grid.Order}" +
                                 (SymbolicEdgeCount > 0 ? $", {SymbolicEdgeCount} symbolic edges" : "");

    /// <inheritdoc />
    public Tensor Forward(Tensor points) => forward(points);

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (!is_grad_enabled()) return Propagate(new Jet(x, null, null) { Order = 0 }).Value;
        var h = x;
        foreach (var layer in _layers) h = layer.forward(h);
        return h;
    }

    /// <inheritdoc />
    /// <remarks>On the CPU all layers run as one fused node (<see cref="KanJetFunction"/>) when each of them can.</remarks>
    public Jet Propagate(Jet input)
    {
        var layers = Layers;
        if (KanJetFunction.Supports(layers, input)) return KanJetFunction.Propagate(layers, input);
        var jet = input;
        foreach (var layer in _layers) jet = layer.Propagate(jet);
        return jet;
    }

    /// <summary>
    /// Adaptive grid update of every layer from the activations the samples x produce, input layer first,
    /// each layer seeing inputs from the already-updated layers before it.
    /// </summary>
    public void UpdateGridFromSamples(Tensor x)
    {
        using var noGrad = no_grad();
        var h = x.detach();
        foreach (var layer in _layers)
        {
            layer.UpdateGridFromSamples(h);
            h = layer.forward(h);
        }
    }

    /// <summary>Grid extension of every layer to <paramref name="newGridSize"/>, refitting at x's activations.</summary>
    public void ExtendGrid(int newGridSize, Tensor x)
    {
        using var noGrad = no_grad();
        var h = x.detach();
        foreach (var layer in _layers)
        {
            var next = layer.forward(h);
            layer.Extend(newGridSize, h);
            h = next;
        }
    }
}
