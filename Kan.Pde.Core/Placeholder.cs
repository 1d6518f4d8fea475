namespace Kan.Pde.Core; internal static class Placeholder {}
