using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GifLab.Core.Curves;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Export;
using GifLab.Storage;

namespace GifLab.Modeling;

/// <summary>
/// Builds training data from a GifLab SQLite database, read through its <see cref="IDatasetReader"/>. A run feeds a curve when it is <c>valid</c>, keeps every frame
/// (<c>none-frame</c>, frame ratio 1) and is an engine's single-mode curve run:
/// <list type="bullet">
/// <item>lossy curve: <c>none-frame|none-color|&lt;engine's lossy tool&gt;</c> at colours 256 → position = lossy level;</item>
/// <item>colour curve: <c>none-frame|&lt;family&gt;-color|&lt;engine's lossy tool&gt;</c> at lossy 0 → position = colour count.</item>
/// </list>
/// Inputs are read from <c>gifs.features_json</c> by name (width, height, frame_count, duration_ms and file_size_bytes fall
/// back to the <c>gifs</c> columns when the record lacks them); GIFs without features are left out (counted in the notes).
/// When GIFs carry several feature versions only the newest version is used, so one model never mixes versions.
/// </summary>
public static class TrainingDataReader
{
    public static async Task<TrainingData> ReadAsync(string dbPath, IReadOnlyList<string> featureNames, Engine? onlyEngine,
                                                     SplitRatios? splits, CancellationToken ct, SplitGroups? groups = null)
    {
        if (!File.Exists(dbPath))
            throw new StorageUnavailableException(dbPath, "the database does not exist (run `giflab run` first)");
        splits ??= SplitRatios.Default;
        await using var store = StoreFactory.Create(dbPath, readOnly: true);
        await store.InitializeAsync(ct).ConfigureAwait(false);   // brings an older schema up to date (SqliteResultStore)
        using var reader = store.OpenDatasetReader(EngineCurves.LossyToolOrder)
            ?? throw new StorageUnavailableException(store.Location, "training data is read from a SQLite database");
        try
        {
            return await Task.Run(() => Read(reader, featureNames, onlyEngine, splits, groups, ct), ct).ConfigureAwait(false);
        }
        catch (DbException e)
        {
            throw new StorageUnavailableException(dbPath, $"cannot read training data: {e.Message}", e);
        }
    }

    private sealed class GifEntry(string sha, long size, string? featuresJson, string? featureVersion, int? width, int? height, int? frames, int? durationMs)
    {
        public int? Width { get; } = width;
        public int? Height { get; } = height;
        public int? Frames { get; } = frames;
        public int? DurationMs { get; } = durationMs;
        public string Sha { get; } = sha;
        public long Size { get; } = size;
        public string? FeaturesJson { get; } = featuresJson;
        public string? FeatureVersion { get; } = featureVersion;
        public Dictionary<(Engine, CurveType), List<MeasuredPoint>> Curves { get; } = [];
    }

    private static TrainingData Read(IDatasetReader reader, IReadOnlyList<string> featureNames, Engine? onlyEngine, SplitRatios splits,
                                     SplitGroups? groups, CancellationToken ct)
    {
        var notes = new List<string>();
        // Which pipelines are curve pipelines, decided once per pipeline identifier.
        var pipelineCurve = new Dictionary<string, (Engine Engine, bool ColorPipeline)?>(StringComparer.Ordinal);
        var gifs = new List<GifEntry>();
        var quality = new MetricsDocument.Reader(QualityKeys);
        long skippedInvalid = 0;
        foreach (var g in reader.ReadGifs(ct))
        {
            var gif = new GifEntry(g.Sha256, g.FileSizeBytes, g.FeaturesJson, g.FeatureVersion, g.Width, g.Height, g.FrameCount, g.DurationMs);
            gifs.Add(gif);
            foreach (var run in reader.ReadRuns(g.Id))
            {
                ct.ThrowIfCancellationRequested();
                if (!pipelineCurve.TryGetValue(run.Pipeline, out var kind)) pipelineCurve[run.Pipeline] = kind = Classify(run.Pipeline);
                if (kind is not { } k) continue;
                if (onlyEngine is { } only && k.Engine != only) continue;
                if (Math.Abs(run.FrameRatio - 1.0) > 1e-9) continue;
                CurveType curve;
                int position;
                if (!k.ColorPipeline && run.ColorCount == 256) { curve = CurveType.Lossy; position = run.LossyLevel; }
                else if (k.ColorPipeline && run.LossyLevel == 0) { curve = CurveType.Colors; position = run.ColorCount; }
                else continue;
                if (run.ValidationStatus != "valid" || run.OutputSizeBytes is not { } size || size <= 0) { skippedInvalid++; continue; }
                quality.Read(run.MetricsJson);
                double? composite = quality.Values[0], ssim = quality.Values[1], ssimulacra2 = quality.Values[2];
                if (!gif.Curves.TryGetValue((k.Engine, curve), out var points)) gif.Curves[(k.Engine, curve)] = points = [];
                points.Add(new MeasuredPoint(position, size, composite, ssim) { Ssimulacra2 = ssimulacra2 });
            }
        }
        if (skippedInvalid > 0) notes.Add($"{skippedInvalid} curve run(s) not valid (corrupted/error) are not training targets.");

        var withCurves = gifs.Where(g => g.Curves.Count > 0).ToList();
        var noFeatures = withCurves.Count(g => g.FeaturesJson is null);
        if (noFeatures > 0) notes.Add($"{noFeatures} GIF(s) with curve runs have no stored features and are left out.");
        var usable = withCurves.Where(g => g.FeaturesJson is not null).ToList();
        string? featureVersion = null;
        var versions = usable.Select(g => g.FeatureVersion).Distinct().ToList();
        if (versions.Count > 0)
        {
            featureVersion = versions.Aggregate((a, b) => SemanticVersion.Compare(a, b) >= 0 ? a : b);
            var older = usable.Count(g => g.FeatureVersion != featureVersion);
            if (older > 0)
                notes.Add($"{older} GIF(s) have features of another version than {featureVersion ?? "(none)"} and are left out (rerun `giflab run --upgrade`).");
            usable = usable.Where(g => g.FeatureVersion == featureVersion).ToList();
        }

        var rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var badJson = 0;
        foreach (var g in usable)
        {
            var values = ReadFeatures(g.FeaturesJson!);
            if (values is null) { badJson++; continue; }
            rows[g.Sha] = ModelInputs.Row(featureNames, ModelInputs.WithBasics(values, g.Width, g.Height, g.Frames, g.DurationMs, g.Size));
        }
        if (badJson > 0) notes.Add($"{badJson} GIF(s) have unreadable features_json and are left out.");
        if (groups is not null)
        {
            var ungrouped = usable.Count(g => groups.GroupOf(g.Sha) is null);
            notes.Add($"held-out split by {groups.Description}" + (ungrouped > 0 ? $"; {ungrouped} GIF(s) not in the table are split by their own SHA" : ""));
        }

        var datasets = new List<CurveDataset>();
        foreach (var engine in EngineNames.All)
        foreach (var curve in CurveTypes.All)
        {
            var list = new List<GifCurve>();
            var positions = new HashSet<int>();
            foreach (var g in usable.OrderBy(g => g.Sha, StringComparer.Ordinal))
            {
                if (!g.Curves.TryGetValue((engine, curve), out var points) || !rows.TryGetValue(g.Sha, out var row)) continue;
                var ordered = points.OrderBy(p => p.Position).ToList();
                foreach (var p in ordered) positions.Add(p.Position);
                list.Add(new GifCurve(g.Sha, splits.Assign(groups?.SplitKey(g.Sha) ?? g.Sha), g.Size, row, ordered)
                {
                    ContentType = GifLab.Core.Features.ContentTypeClassifier.FromJson(g.FeaturesJson) is { } type ? GifLab.Core.Features.ContentTypes.Name(type) : null,
                    Group = groups?.GroupOf(g.Sha),
                });
            }
            if (list.Count == 0) continue;
            datasets.Add(new CurveDataset(engine, curve, featureNames, featureVersion, curve.InCompressionOrder(positions), list, DatasetVersion(list))
            {
                SplitGrouping = groups?.Description ?? "gif",
            });
        }
        return new TrainingData(datasets, notes);
    }

    /// <summary>The (engine, is-colour-pipeline) of a curve pipeline, or null for any other pipeline.</summary>
    internal static (Engine Engine, bool ColorPipeline)? Classify(string identifier)
    {
        PipelineId id;
        try { id = PipelineId.Parse(identifier); }
        catch (FormatException) { return null; }
        if (id.FrameTool != "none-frame" || ToolRegistry.EngineOf(id) is not { } engine) return null;
        if (id.ColorTool == "none-color") return (engine, false);
        return ToolRegistry.ColorToolFor(engine)?.Name == id.ColorTool ? (engine, true) : null;
    }

    /// <summary>The metrics document keys training reads: <c>composite_score</c> and <c>ssim</c> (<see cref="MetricsDocument.Reader"/>).</summary>
    private static readonly string[] QualityKeys = ["composite_score", "ssim", "ssimulacra2"];

    /// <summary>Every numeric (or null) top-level value of a GifFeaturesV1 JSON object by key; null when the text is not an object.</summary>
    public static IReadOnlyDictionary<string, double?>? ReadFeatures(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                values[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Number when p.Value.TryGetDouble(out var d) => d,
                    JsonValueKind.True => 1.0,
                    JsonValueKind.False => 0.0,
                    _ => null,
                };
            }
            return values;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string DatasetVersion(List<GifCurve> gifs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var g in gifs)
        {
            var line = new StringBuilder(g.GifSha).Append(':').Append(g.OriginalSizeBytes.ToString(CultureInfo.InvariantCulture));
            foreach (var f in g.Features) line.Append(CultureInfo.InvariantCulture, $",{f:R}");
            foreach (var p in g.Points)
            {
                line.Append(CultureInfo.InvariantCulture, $";{p.Position}={p.OutputSizeBytes},{p.CompositeScore:R},{p.Ssim:R}");
                if (p.Ssimulacra2 is { } s2) line.Append(CultureInfo.InvariantCulture, $",{s2:R}");
            }
            hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
        }
        return "1.0.0+" + Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}
