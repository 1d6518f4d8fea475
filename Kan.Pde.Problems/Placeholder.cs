namespace Kan.Pde.Problems; internal static class Placeholder {}
