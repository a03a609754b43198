using System.Buffers;
using System.Text.Json;

namespace GifLab.Core.Metrics;

/// <summary>
/// The one writer and reader of the metrics document: <c>compression_runs.metrics_json</c> and the output of
/// <c>giflab measure --format json</c> (the same members; measure indents them).
/// </summary>
/// <remarks>
/// <para>Shape, in this order: every key of <see cref="MetricResult.Values"/> (registry order) as a number, or
/// <c>null</c> when not computable; <see cref="SetVersionKey"/>; each <see cref="MetricResult.Notes"/> entry as a
/// string (e.g. <c>lpips_model</c>); then <see cref="NullReasonsKey"/>, an object with the reason of each null key,
/// written only when some key is null. Stored rows depend on these bytes (<c>bench/compare-runs.sh</c> compares them):
/// change the shape only with a new <see cref="MetricSuite.SetVersion"/>.</para>
/// <para>Per-metric versions (<see cref="MetricInfo.Version"/>) are not in the document: they are a function of the
/// set version (<see cref="MetricSetVersions"/>), so rows stored before they were recorded keep their bytes.</para>
/// </remarks>
public static class MetricsDocument
{
    /// <summary>Top-level number: <see cref="MetricSuite.SetVersion"/> of the set that produced the values.</summary>
    public const string SetVersionKey = "metric_set_version";

    /// <summary>Top-level object: the reason of each null key (absent when none is null).</summary>
    public const string NullReasonsKey = "null_reasons";

    /// <summary>The stored form: one compact JSON object (the bytes of <c>metrics_json</c>).</summary>
    public static string Write(MetricResult result) => Write(result, indented: false);

    /// <summary>The document as text; <paramref name="indented"/> for people (<c>giflab measure</c>).</summary>
    public static string Write(MetricResult result, bool indented)
    {
        ArgumentNullException.ThrowIfNull(result);
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            Write(w, result);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the document as one JSON object to <paramref name="w"/>.</summary>
    public static void Write(Utf8JsonWriter w, MetricResult result)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(result);
        w.WriteStartObject();
        foreach (var (key, value) in result.Values)
        {
            if (value is { } v && double.IsFinite(v)) w.WriteNumber(key, v);
            else w.WriteNull(key);
        }
        w.WriteNumber(SetVersionKey, result.SetVersion);
        foreach (var (key, note) in result.Notes) w.WriteString(key, note);
        if (result.NullReasons.Count > 0)
        {
            w.WriteStartObject(NullReasonsKey);
            foreach (var (key, reason) in result.NullReasons) w.WriteString(key, reason);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>
    /// Reads the numbers of metrics documents into a fixed array by key (one pass, no per-key allocation); reuse one
    /// reader for many rows. Keys not asked for and the nested <see cref="NullReasonsKey"/> object are skipped; absent,
    /// null or non-numeric values are null. Not thread-safe.
    /// </summary>
    public sealed class Reader
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly char[] _name = new char[256];

        public Reader(IReadOnlyList<string> keys)
        {
            ArgumentNullException.ThrowIfNull(keys);
            Keys = keys;
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < keys.Count; i++) index.TryAdd(keys[i], i);
            _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
            Values = new double?[keys.Count];
        }

        public IReadOnlyList<string> Keys { get; }

        /// <summary>The values of the last <see cref="Read"/>, in <see cref="Keys"/> order.</summary>
        public double?[] Values { get; }

        /// <summary><see cref="SetVersionKey"/> of the last read, when present.</summary>
        public int? SetVersion { get; private set; }

        /// <summary>The value of <paramref name="key"/> from the last read (null when absent, null or not asked for).</summary>
        public double? this[string key] => _lookup.TryGetValue(key.AsSpan(), out var i) ? Values[i] : null;

        /// <summary>Parses one document. Returns false (all values null) when it is null or not a JSON object.</summary>
        public bool Read(string? json)
        {
            Array.Clear(Values);
            SetVersion = null;
            if (string.IsNullOrEmpty(json)) return false;
            var max = System.Text.Encoding.UTF8.GetMaxByteCount(json.Length);
            var rented = ArrayPool<byte>.Shared.Rent(max);
            try
            {
                var n = System.Text.Encoding.UTF8.GetBytes(json, rented);
                var reader = new Utf8JsonReader(rented.AsSpan(0, n));
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var len = reader.HasValueSequence || reader.ValueSpan.Length > _name.Length ? -1 : reader.CopyString(_name);
                    reader.Read();
                    if (len < 0) { reader.Skip(); continue; }
                    var name = _name.AsSpan(0, len);
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        if (_lookup.TryGetValue(name, out var i)) Values[i] = reader.GetDouble();
                        else if (name.SequenceEqual(SetVersionKey) && reader.TryGetInt32(out var v)) SetVersion = v;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                return true;
            }
            catch (JsonException)
            {
                Array.Clear(Values);
                return false;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
