using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// JSON form of <see cref="RunMetrics"/>: indented, camelCase properties, loss-term keys kept verbatim,
/// and non-finite doubles written as <c>null</c> (a diverged run must still leave a readable record).
/// </summary>
public static class MetricsJson
{
    /// <summary>Serializer options shared by writing and by readers that want the same conventions.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serialises <paramref name="metrics"/> to an indented JSON document.</summary>
    public static string Serialize(RunMetrics metrics) => JsonSerializer.Serialize(metrics, Options);

    /// <summary>Writes <paramref name="metrics"/> to <paramref name="path"/> as UTF-8 without BOM.</summary>
    public static void Write(string path, RunMetrics metrics) => File.WriteAllText(path, Serialize(metrics) + "\n");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            // Term names such as "pde" or "boundary_left" are data, not property names: leave them alone.
            DictionaryKeyPolicy = null,
            // Model descriptions carry symbols like θ or ‖·‖; keep them readable rather than \uXXXX-escaped.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new FiniteOrNullDoubleConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes NaN and ±∞ as <c>null</c> and reads <c>null</c> back as NaN.</summary>
    private sealed class FiniteOrNullDoubleConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
