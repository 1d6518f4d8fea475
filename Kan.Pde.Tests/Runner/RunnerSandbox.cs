using Kan.Pde.Runner;

namespace Kan.Pde.Tests.Runner;

/// <summary>
/// A temporary folder for one in-process run of <c>kan-pde</c>: write a spec into it, run
/// <see cref="Program.Run"/> with captured streams, and inspect what was (not) written. Deleted on dispose.
/// </summary>
internal sealed class RunnerSandbox : IDisposable
{
    public RunnerSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "kan-pde-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        OutputDir = Path.Combine(Root, "out", "run");
    }

    /// <summary>The sandbox folder.</summary>
    public string Root { get; }

    /// <summary>The folder passed with --output; its parent <c>out</c> must stay absent after a failed run.</summary>
    public string OutputDir { get; }

    /// <summary>Writes <paramref name="yaml"/> to <paramref name="fileName"/> in the sandbox and returns its full path.</summary>
    public string WriteSpec(string yaml, string fileName = "spec.yaml")
    {
        string path = Path.Combine(Root, fileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Runs the program in-process.</summary>
    public RunResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return new RunResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Every folder under the sandbox other than the sandbox itself (results, partial or old folders).</summary>
    public IReadOnlyList<string> Folders() =>
        Directory.GetDirectories(Root, "*", SearchOption.AllDirectories).Select(d => Path.GetRelativePath(Root, d)).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Exit code and captured streams of one run.</summary>
internal sealed record RunResult(int ExitCode, string Output, string Error)
{
    /// <summary>Non-empty lines written to the error stream.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
