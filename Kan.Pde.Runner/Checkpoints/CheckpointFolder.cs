using System.Globalization;
using System.Text.RegularExpressions;

namespace Kan.Pde.Runner.Checkpoints;

/// <summary>
/// A folder of checkpoint files named <c>step-NNNNNN.ckpt</c> after the next step to take. Saving writes atomically and
/// then deletes all but the newest <see cref="Keep"/>; loading takes the newest file that reads intact and fits,
/// falling back to older ones (a damaged newest file costs progress, never correctness).
/// </summary>
public sealed partial class CheckpointFolder
{
    /// <summary>A folder at <paramref name="path"/> keeping the newest <paramref name="keep"/> files.</summary>
    public CheckpointFolder(string path, int keep)
    {
        Path = System.IO.Path.GetFullPath(path);
        Keep = Math.Max(1, keep);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>How many files are kept.</summary>
    public int Keep { get; }

    /// <summary>The file of the checkpoint before step <paramref name="step"/>.</summary>
    public string FileFor(int step) => System.IO.Path.Combine(Path, $"step-{step.ToString("D6", CultureInfo.InvariantCulture)}{CheckpointFile.Extension}");

    /// <summary>Saves <paramref name="checkpoint"/> and prunes older files; returns the file written.</summary>
    public string Save(Checkpoint checkpoint)
    {
        string file = FileFor(checkpoint.State.Step);
        CheckpointFile.Write(file, checkpoint);
        // Older checkpoints beyond Keep, and temporary files of a writer that was killed mid-write (one run writes
        // to a folder at a time, so no other writer's file is in progress).
        var stale = Files().Skip(Keep).Select(f => f.File)
            .Concat(Directory.EnumerateFiles(Path, ".step-*" + CheckpointFile.Extension + ".tmp-*"));
        foreach (var old in stale.ToArray())
        {
            try { File.Delete(old); }
            catch (IOException) { }
        }
        return file;
    }

    /// <summary>The checkpoint files, newest (highest step) first.</summary>
    public IReadOnlyList<(int Step, string File)> Files()
    {
        if (!Directory.Exists(Path)) return Array.Empty<(int, string)>();
        return Directory.EnumerateFiles(Path, "step-*" + CheckpointFile.Extension)
            .Select(f => (Match: FileName().Match(System.IO.Path.GetFileName(f)), File: f))
            .Where(m => m.Match.Success && int.TryParse(m.Match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(m => (int.Parse(m.Match.Groups[1].Value, CultureInfo.InvariantCulture), m.File))
            .OrderByDescending(f => f.Item1)
            .ToArray();
    }

    /// <summary>
    /// The newest checkpoint that reads intact and that <paramref name="fits"/> accepts (it returns null, or why not);
    /// <paramref name="rejected"/> lists the newer files passed over, with the reason.
    /// </summary>
    public Checkpoint? LoadLatest(Func<Checkpoint, string?> fits, out IReadOnlyList<string> rejected)
    {
        var skipped = new List<string>();
        rejected = skipped;
        foreach (var (_, file) in Files())
        {
            try
            {
                var checkpoint = CheckpointFile.Read(file);
                if (fits(checkpoint) is { } why)
                {
                    skipped.Add($"{file}: {why}");
                    continue;
                }
                return checkpoint;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                skipped.Add($"{file}: {e.Message}");
            }
        }
        return null;
    }

    [GeneratedRegex(@"^step-([0-9]{1,9})\.ckpt$")]
    private static partial Regex FileName();
}
