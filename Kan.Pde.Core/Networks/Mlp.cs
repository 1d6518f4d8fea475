using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// The classic PINN baseline: affine layers with a smooth activation between them and a linear output,
/// Glorot-normal weights and zero biases.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>, INetwork
{
    private readonly ParameterList _weights = new();
    private readonly ParameterList _biases = new();

    /// <summary>Creates an MLP with widths [n_0, …, n_L], e.g. [2, 100, 100, 100, 1].</summary>
    public Mlp(IReadOnlyList<int> widths, Activation activation, ScalarType dtype = ScalarType.Float64,
        Device? device = null, Generator? generator = null) : base("Mlp")
    {
        if (widths.Count < 2) throw new ArgumentException("an MLP needs at least an input and an output width");
        if (widths.Any(w => w < 1)) throw new ArgumentException("layer widths must be positive");
        Widths = widths.ToArray();
        ActivationFunction = activation;
        device ??= CPU;
        for (int l = 0; l + 1 < widths.Count; l++)
        {
            double std = Math.Sqrt(2.0 / (widths[l] + widths[l + 1]));
            // Drawn on the CPU (the generator is a CPU one) and moved: the same seed gives the same network on every device.
            _weights.Add(new Parameter((randn(new long[] { widths[l + 1], widths[l] }, dtype, CPU, generator: generator) * std).to(device)));
            _biases.Add(new Parameter(zeros(new long[] { widths[l + 1] }, dtype, device)));
        }
        RegisterComponents();
    }

    /// <summary>Node counts per layer boundary.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>The hidden activation.</summary>
    public Activation ActivationFunction { get; }

    /// <inheritdoc />
    public int InputDimension => Widths[0];

    /// <inheritdoc />
    public int OutputDimension => Widths[^1];

    /// <inheritdoc />
    public long ParameterCount => Enumerable.Range(0, Widths.Count - 1).Sum(l => (long)(Widths[l] + 1) * Widths[l + 1]);

    /// <inheritdoc />
    public IReadOnlyList<Parameter> TrainableParameters =>
        Enumerable.Range(0, _weights.Count).SelectMany(l => new[] { _weights[l], _biases[l] }).ToArray();

    /// <inheritdoc />
    public string Description => $"MLP [{string.Join(",", Widths)}] {ActivationFunction.Name}";

    /// <inheritdoc />
    public Tensor Forward(Tensor points) => forward(points);

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Propagate(new Jet(x, null, null) { Order = 0 }).Value;

    /// <inheritdoc />
    public Jet Propagate(Jet input)
    {
        int order = input.Order;
        var h = input.Value;
        if (h.dim() != 2 || h.shape[1] != InputDimension)
            throw new ArgumentException($"MLP expects [N, {InputDimension}] inputs, got [{string.Join(", ", h.shape)}]");
        Tensor? grad = input.Gradient, second = input.Second;
        bool isInput = input.IsInput;
        for (int l = 0; l < _weights.Count; l++)
        {
            var w = _weights[l];
            var z = nn.functional.linear(h, w, _biases[l]);
            Tensor? gz = null, sz = null;
            var wT = order >= 1 ? w.t() : null;
            if (order >= 1)
                gz = isInput ? wT!.unsqueeze(0).expand(h.shape[0], InputDimension, w.shape[0]) : matmul(grad!, wT!);
            if (order >= 2)
                sz = isInput ? null : matmul(second!, wT!);
            isInput = false;
            bool last = l == _weights.Count - 1;
            if (last)
            {
                h = z; grad = gz; second = order >= 2 ? sz ?? zeros_like(gz!) : null;
                break;
            }
            var a = ActivationFunction.Evaluate(z, order);
            h = a[0];
            if (order >= 1) grad = a[1].unsqueeze(1) * gz!;
            if (order >= 2)
            {
                var curvature = a[2].unsqueeze(1) * gz!.square();
                second = sz is null ? curvature : curvature + a[1].unsqueeze(1) * sz;
            }
        }
        return new Jet(h, grad, second) { Order = order };
    }
}
