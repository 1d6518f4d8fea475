using Kan.Pde.Core.Runtime;
using NUnit.Framework;

namespace Kan.Pde.Tests;

/// <summary>Applies the program's native runtime settings once, before any test touches a tensor.</summary>
[SetUpFixture]
public sealed class TestRuntime
{
    [OneTimeSetUp]
    public void Configure() => TorchRuntime.Configure();
}
