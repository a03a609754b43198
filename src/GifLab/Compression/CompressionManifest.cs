using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GifLab.Compression;

/// <summary>One output recorded in a <see cref="CompressionManifest"/>.</summary>
/// <param name="InputSha256">SHA-256 of the input the output was made from.</param>
/// <param name="Parameters">The parameters that made it (<see cref="CompressionManifest.ParametersOf"/>).</param>
/// <param name="OutputBytes">Size of the output written.</param>
/// <param name="OutputSha256">SHA-256 of the output written.</param>
/// <param name="InputBytes">Size of the input.</param>
/// <param name="Engine">Engine written (data-model name), null when the input was copied.</param>
/// <param name="LossyLevel">Its lossy level, null when copied.</param>
/// <param name="ColorCount">Its colour count, null when copied.</param>
/// <param name="Quality">Measured quality of the output written, null when copied.</param>
/// <param name="Tries">Compressions run.</param>
/// <param name="Reason">Why the input was copied, else null.</param>
public sealed record ManifestEntry(
    [property: JsonPropertyName("input_sha256")] string InputSha256,
    [property: JsonPropertyName("parameters")] string Parameters,
    [property: JsonPropertyName("output_bytes")] long OutputBytes,
    [property: JsonPropertyName("output_sha256")] string OutputSha256,
    [property: JsonPropertyName("input_bytes")] long InputBytes,
    [property: JsonPropertyName("engine")] string? Engine,
    [property: JsonPropertyName("lossy_level")] int? LossyLevel,
    [property: JsonPropertyName("color_count")] int? ColorCount,
    [property: JsonPropertyName("quality")] double? Quality,
    [property: JsonPropertyName("tries")] int Tries,
    [property: JsonPropertyName("reason")] string? Reason)
{
    /// <summary>The setting written, or null when the input was copied (or the engine name is unknown).</summary>
    [JsonIgnore]
    public EngineSetting? Setting =>
        Core.Model.EngineNames.TryParse(Engine, out var e) && LossyLevel is { } l && ColorCount is { } c ? new EngineSetting(e, l, c) : null;

    /// <summary>The entry for a result written to disk.</summary>
    public static ManifestEntry For(CompressionResult result, string inputSha256, string parameters, string outputSha256)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Chosen?.Setting;
        return new ManifestEntry(inputSha256, parameters, result.OutputBytes, outputSha256, result.InputBytes,
            s is null ? null : Core.Model.EngineNames.Name(s.Engine), s?.LossyLevel, s?.ColorCount, result.Chosen?.Quality, result.Tries, result.Reason);
    }
}

/// <summary>
/// The sidecar that makes <c>giflab compress</c> resumable: <see cref="FileName"/> in the output folder, one entry per
/// output (key: its path relative to that folder) with the input's hash, the parameters and the output's hash. An output
/// is done when its entry has the same input hash and parameters and the file on disk still has the recorded hash.
/// Thread-safe; every <see cref="Record"/> rewrites the file atomically.
/// </summary>
public sealed class CompressionManifest
{
    /// <summary>The sidecar's file name.</summary>
    public const string FileName = ".giflab-compress.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, ManifestEntry> _entries;

    private CompressionManifest(string path, SortedDictionary<string, ManifestEntry> entries)
    {
        Path = path;
        _entries = entries;
    }

    /// <summary>The sidecar file.</summary>
    public string Path { get; }

    /// <summary>Loads the manifest of an output folder (empty when absent or unreadable: then everything is redone).</summary>
    public static CompressionManifest Open(string outputRoot)
    {
        var path = System.IO.Path.Combine(outputRoot, FileName);
        var entries = new SortedDictionary<string, ManifestEntry>(StringComparer.Ordinal);
        try
        {
            if (File.Exists(path) && JsonSerializer.Deserialize<Dictionary<string, ManifestEntry>>(File.ReadAllText(path), Json) is { } read)
                foreach (var (k, v) in read) entries[k] = v;
        }
        catch (JsonException) { }
        catch (IOException) { }
        return new CompressionManifest(path, entries);
    }

    /// <summary>The parameters an output depends on, as one string (metric, floor, engines, budget, models, GifLab version).</summary>
    public static string ParametersOf(FloorOptions options, string modelsDescription)
    {
        ArgumentNullException.ThrowIfNull(options);
        var engines = options.Engines is null ? "auto" : string.Join(",", options.Engines.Select(Core.Model.EngineNames.Name));
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"metric={options.Floor.Metric};min_quality={options.Floor.MinQuality:R};engines={engines};max_tries={options.MaxTries};models={modelsDescription};giflab={GifLabInfo.Version.Split('+')[0]}");
    }

    /// <summary>
    /// A short fingerprint of a models folder (SHA-256 of its metadata and model file names and contents), so that new
    /// models redo the outputs they might change; <c>none</c> when the folder has no models.
    /// </summary>
    public static string ModelsFingerprint(string? modelsDirectory)
    {
        if (modelsDirectory is null || !Directory.Exists(modelsDirectory)) return "none";
        var files = Directory.EnumerateFiles(modelsDirectory)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(Modeling.GbmRegressor.Extension, StringComparison.Ordinal)
                        || f.EndsWith(Modeling.GbmRegressor.LegacyExtension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) return "none";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(System.IO.Path.GetFileName(f)));
            hash.AppendData(File.ReadAllBytes(f));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>The recorded entry when <paramref name="outputPath"/> is already done for this input and these parameters.</summary>
    public ManifestEntry? Done(string key, string inputSha256, string parameters, string outputPath)
    {
        ManifestEntry? e;
        lock (_lock) e = _entries.GetValueOrDefault(key);
        if (e is null || e.InputSha256 != inputSha256 || e.Parameters != parameters) return null;
        try
        {
            var info = new FileInfo(outputPath);
            if (!info.Exists || info.Length != e.OutputBytes) return null;
            return Sha256Of(outputPath) == e.OutputSha256 ? e : null;
        }
        catch (IOException) { return null; }
    }

    /// <summary>Records an output and rewrites the sidecar atomically.</summary>
    public void Record(string key, ManifestEntry entry)
    {
        lock (_lock)
        {
            _entries[key] = entry;
            AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(_entries, Json));
        }
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256Of(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
