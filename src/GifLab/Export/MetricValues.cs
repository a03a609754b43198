using System.Buffers;
using System.Text;
using System.Text.Json;

namespace GifLab.Export;

/// <summary>
/// Reads the numbers of a <c>metrics_json</c> object into a fixed array by key (one pass, no per-key allocation).
/// Keys not asked for and the nested <c>null_reasons</c> object are skipped; absent, null or non-numeric values are null.
/// </summary>
internal sealed class MetricValues
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly char[] _name = new char[256];

    public MetricValues(IReadOnlyList<string> keys)
    {
        Keys = keys;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++) index.TryAdd(keys[i], i);
        _lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        Values = new double?[keys.Count];
    }

    public IReadOnlyList<string> Keys { get; }

    /// <summary>The values of the last <see cref="Read"/>, in <see cref="Keys"/> order.</summary>
    public double?[] Values { get; }

    /// <summary>metric_set_version of the last read, when present.</summary>
    public int? SetVersion { get; private set; }

    /// <summary>Parses one metrics_json text. Returns false (all values null) when it is null or not a JSON object.</summary>
    public bool Read(string? json)
    {
        Array.Clear(Values);
        SetVersion = null;
        if (string.IsNullOrEmpty(json)) return false;
        var max = Encoding.UTF8.GetMaxByteCount(json.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = Encoding.UTF8.GetBytes(json, rented);
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
                    else if (name.SequenceEqual("metric_set_version") && reader.TryGetInt32(out var v)) SetVersion = v;
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
