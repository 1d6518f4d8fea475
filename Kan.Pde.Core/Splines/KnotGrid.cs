namespace Kan.Pde.Core.Splines;

/// <summary>
/// The knot vectors of one KAN layer: one vector per input node, shared by that node's outgoing edges.
/// Each vector has G+1 interior knots t_0..t_G and <c>Order</c> extension knots on each side at the
/// spacing (t_G - t_0)/G, so G+1+2k knots and G+k basis functions of degree k (pykan's convention).
/// </summary>
public sealed class KnotGrid
{
    private readonly double[,] _knots;

    private KnotGrid(double[,] knots, int gridSize, int order)
    {
        _knots = knots;
        GridSize = gridSize;
        Order = order;
    }

    /// <summary>Number of input nodes (one knot vector each).</summary>
    public int Inputs => _knots.GetLength(0);

    /// <summary>G: the number of intervals between the interior knots.</summary>
    public int GridSize { get; }

    /// <summary>k: the spline degree (3 for cubic).</summary>
    public int Order { get; }

    /// <summary>Knots per vector: G + 1 + 2k.</summary>
    public int KnotCount => GridSize + 1 + 2 * Order;

    /// <summary>Basis functions (coefficients) per edge: G + k.</summary>
    public int BasisCount => GridSize + Order;

    /// <summary>Knot <paramref name="index"/> (0-based over the extended vector) of input <paramref name="input"/>.</summary>
    public double this[int input, int index] => _knots[input, index];

    /// <summary>The G+1 interior knots of one input.</summary>
    public double[] Interior(int input)
    {
        var result = new double[GridSize + 1];
        for (int g = 0; g <= GridSize; g++) result[g] = _knots[input, g + Order];
        return result;
    }

    /// <summary>The whole extended knot vector of one input.</summary>
    public double[] Extended(int input)
    {
        var result = new double[KnotCount];
        for (int m = 0; m < KnotCount; m++) result[m] = _knots[input, m];
        return result;
    }

    /// <summary>A copy of all knots as [inputs, G+1+2k].</summary>
    public double[,] ToArray() => (double[,])_knots.Clone();

    /// <summary>
    /// A grid from its full extended knot vectors [inputs, G+1+2k] as <see cref="ToArray"/> gives them (for restoring
    /// saved state bit for bit); every row must be strictly increasing.
    /// </summary>
    public static KnotGrid FromKnots(double[,] knots, int order)
    {
        if (order < 0) throw new ArgumentException("spline order must be non-negative");
        int gridSize = knots.GetLength(1) - 1 - 2 * order;
        if (gridSize < 1 || knots.GetLength(0) < 1) throw new ArgumentException($"{knots.GetLength(1)} knots per input do not make a grid of order {order}");
        for (int i = 0; i < knots.GetLength(0); i++)
            for (int m = 1; m < knots.GetLength(1); m++)
                if (!(knots[i, m] > knots[i, m - 1])) throw new ArgumentException($"knots of input {i} are not strictly increasing");
        return new KnotGrid((double[,])knots.Clone(), gridSize, order);
    }

    /// <summary>Uniform knots on [lo, hi] for every input.</summary>
    public static KnotGrid Uniform(int inputs, int gridSize, int order, double lo, double hi)
    {
        if (!(hi > lo)) throw new ArgumentException($"grid range [{lo}, {hi}] must have lo < hi");
        var interior = new double[inputs, gridSize + 1];
        for (int i = 0; i < inputs; i++)
            for (int g = 0; g <= gridSize; g++)
                interior[i, g] = lo + (hi - lo) * g / gridSize;
        return FromInterior(interior, order);
    }

    /// <summary>
    /// Extends interior knots [inputs, G+1] (strictly increasing per row) by k knots on each side at the
    /// row's mean spacing, as pykan does after an adaptive update.
    /// </summary>
    public static KnotGrid FromInterior(double[,] interior, int order)
    {
        int inputs = interior.GetLength(0), gridSize = interior.GetLength(1) - 1;
        if (gridSize < 1) throw new ArgumentException("a knot grid needs at least one interval");
        if (order < 0) throw new ArgumentException("spline order must be non-negative");
        var knots = new double[inputs, gridSize + 1 + 2 * order];
        for (int i = 0; i < inputs; i++)
        {
            double t0 = interior[i, 0], tG = interior[i, gridSize];
            for (int g = 1; g <= gridSize; g++)
                if (!(interior[i, g] > interior[i, g - 1]))
                    throw new ArgumentException($"interior knots of input {i} are not strictly increasing");
            double h = (tG - t0) / gridSize;
            for (int m = 0; m < order; m++)
            {
                knots[i, m] = t0 - (order - m) * h;
                knots[i, gridSize + order + 1 + m] = tG + (m + 1) * h;
            }
            for (int g = 0; g <= gridSize; g++) knots[i, g + order] = interior[i, g];
        }
        return new KnotGrid(knots, gridSize, order);
    }
}
