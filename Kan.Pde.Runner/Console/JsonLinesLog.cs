using System.Text;
using System.Text.Json;
using Kan.Pde.Core.Training;

namespace Kan.Pde.Runner.Console;

/// <summary>
/// A machine-readable log of one run (<c>solve --log-json FILE</c>): one JSON object per line, flushed as it is
/// written, so a monitor can follow the file while the run goes on. Every object has <c>event</c> and <c>time</c>
/// (UTC, ISO 8601); events are <c>start</c>, <c>multi_start</c>, <c>resume</c>, <c>grid_change</c>, <c>step</c>,
/// <c>checkpoint</c>, <c>divergence</c>, <c>rollback</c>, <c>end</c> and <c>error</c>. Non-finite numbers are
/// written as <c>null</c>, as in metrics.json.
/// </summary>
public sealed class JsonLinesLog : IDisposable
{
    private readonly StreamWriter _writer;
    private int _lastGrid = -1;

    private JsonLinesLog(StreamWriter writer) => _writer = writer;

    /// <summary>
    /// Opens <paramref name="path"/> for writing (appending when <paramref name="append"/>, e.g. for a resumed run).
    /// </summary>
    /// <exception cref="UsageException">The file cannot be created.</exception>
    public static JsonLinesLog Open(string path, bool append)
    {
        try
        {
            var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
            return new JsonLinesLog(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--log-json: cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Writes one event with the given fields (values: numbers, strings, booleans, lists, dictionaries, null).</summary>
    public void Write(string eventName, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("event", eventName);
            json.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (key, value) in fields)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }
            json.WriteEndObject();
        }
        _writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Writes one event from name/value pairs.</summary>
    public void Write(string eventName, params (string Key, object? Value)[] fields) =>
        Write(eventName, fields.Select(f => new KeyValuePair<string, object?>(f.Key, f.Value)));

    /// <summary>A <c>step</c> event, preceded by a <c>grid_change</c> event when the grid size differs from the last step's.</summary>
    public void Step(StepRecord r)
    {
        if (_lastGrid >= 0 && r.GridSize != _lastGrid)
            Write("grid_change", ("step", r.Step), ("from", _lastGrid), ("to", r.GridSize));
        _lastGrid = r.GridSize;
        Write("step", ("step", r.Step), ("stage", r.Stage), ("grid", r.GridSize), ("loss", r.TotalLoss),
            ("terms", r.Terms), ("relative_l2", r.RelativeL2), ("seconds", r.Seconds), ("evaluations", r.Evaluations));
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case double d:
                if (double.IsFinite(d)) json.WriteNumberValue(d);
                else json.WriteNullValue();
                break;
            case float f: WriteValue(json, (double)f); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case IEnumerable<KeyValuePair<string, double>> map:
                json.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    json.WritePropertyName(k);
                    WriteValue(json, v);
                }
                json.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> objectMap:
                json.WriteStartObject();
                foreach (var (k, v) in objectMap)
                {
                    json.WritePropertyName(k);
                    WriteValue(json, v);
                }
                json.WriteEndObject();
                break;
            case System.Collections.IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items) WriteValue(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
