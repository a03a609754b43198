using System.Text.Json;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Runs;

/// <summary>The small JSON documents a run stores besides its metrics: <c>validation_json</c> and <c>tool_versions</c>.</summary>
internal static class RunDocuments
{
    /// <summary>tool_versions: each of the pipeline's tools with its probed version (null when unavailable).</summary>
    public static string ToolVersionsJson(EngineCatalog catalog, PipelineId p) => JsonObject(w =>
    {
        foreach (var name in new[] { p.FrameTool, p.ColorTool, p.LossyTool })
            w.WriteString(name, catalog.IsAvailable(name) ? catalog.Get(name).Version : null);
    });

    /// <summary>validation_json: the validator's checks (numbers, booleans, strings) as one flat object.</summary>
    public static string ChecksJson(IReadOnlyDictionary<string, object?> checks) => JsonObject(w =>
    {
        foreach (var (key, value) in checks)
        {
            switch (value)
            {
                case null: w.WriteNull(key); break;
                case bool b: w.WriteBoolean(key, b); break;
                case int i: w.WriteNumber(key, i); break;
                case long l: w.WriteNumber(key, l); break;
                case double d when double.IsFinite(d): w.WriteNumber(key, d); break;
                case double: w.WriteNull(key); break;
                default: w.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
    });

    /// <summary>One compact JSON object as text; <paramref name="body"/> writes its members.</summary>
    private static string JsonObject(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
