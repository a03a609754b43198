namespace GifLab.Modeling;

/// <summary>
/// The model inputs: GifFeaturesV1 values read by name from <c>gifs.features_json</c> (training) or from the feature
/// extractor (prediction). A saved model records the names in order and prediction refuses models whose list differs.
/// </summary>
public static class ModelInputs
{
    /// <summary>
    /// The model inputs: the reference's 24 (<c>prediction.md</c> §2, from the feature registry), then
    /// <see cref="DerivedNames"/> (computed from those stored values), then GifLab's structure features
    /// (<c>FeatureRegistry.ExtensionNames</c>, feature version 1.2.0: palettes, frame rectangles, disposal, pixel
    /// statistics and estimates of a lossless re-encode, one of which can anchor the size target, see <see cref="SizeAnchor"/>).
    /// </summary>
    public static IReadOnlyList<string> Names => NamesList;

    /// <summary>
    /// Inputs derived from the stored features: exact facts about how the original is encoded, which trees cannot form
    /// from the raw values (a ratio needs many splits). <c>bytes_per_pixel_frame</c> = file bytes ÷ (width·height·frames),
    /// the original encoder's efficiency (an original packed tighter than gifsicle's <c>--optimize</c> grows when re-encoded);
    /// <c>bytes_per_frame</c> = file bytes ÷ frames; <c>pixel_count</c> = width·height.
    /// </summary>
    public static IReadOnlyList<string> DerivedNames => DerivedList;

    private static readonly string[] DerivedList = ["bytes_per_pixel_frame", "bytes_per_frame", "pixel_count"];
    private static readonly string[] NamesList =
        [.. GifLab.Core.Features.FeatureRegistry.ModelInputNames, .. DerivedList, .. GifLab.Core.Features.FeatureRegistry.ExtensionNames];

    /// <summary>Adds the <see cref="DerivedNames"/> values computed from width, height, frame_count and file_size_bytes (null when any is missing).</summary>
    public static IReadOnlyDictionary<string, double?> WithDerived(IReadOnlyDictionary<string, double?> values)
    {
        var result = new Dictionary<string, double?>(values, StringComparer.Ordinal);
        double? Get(string name) => values.TryGetValue(name, out var v) && v is { } d && double.IsFinite(d) && d > 0 ? d : null;
        var (w, h, f, bytes) = (Get("width"), Get("height"), Get("frame_count"), Get("file_size_bytes"));
        result["pixel_count"] = w * h;
        result["bytes_per_frame"] = bytes / f;
        result["bytes_per_pixel_frame"] = bytes / (w * h * f);
        return result;
    }

    /// <summary>
    /// Builds an input row in <paramref name="names"/> order. A name that is absent, null or not finite becomes NaN,
    /// which LightGBM treats as "missing" (it learns a default branch for it) — never a crash.
    /// </summary>
    public static float[] Row(IReadOnlyList<string> names, IReadOnlyDictionary<string, double?> values)
    {
        var row = new float[names.Count];
        for (var i = 0; i < row.Length; i++)
            row[i] = values.TryGetValue(names[i], out var v) && v is { } d && double.IsFinite(d) ? (float)d : float.NaN;
        return row;
    }

    /// <summary>
    /// Adds the basic facts also stored as <c>gifs</c> columns (width, height, frame_count, duration_ms, file_size_bytes)
    /// when the feature record does not carry them, so those inputs never go missing just because the extractor keeps them
    /// as identity fields. Values already present (even null) are kept.
    /// </summary>
    public static IReadOnlyDictionary<string, double?> WithBasics(IReadOnlyDictionary<string, double?> values,
                                                                  int? width, int? height, int? frameCount, int? durationMs, long? fileSizeBytes)
    {
        var result = new Dictionary<string, double?>(values, StringComparer.Ordinal);
        result.TryAdd("width", width);
        result.TryAdd("height", height);
        result.TryAdd("frame_count", frameCount);
        result.TryAdd("duration_ms", durationMs);
        result.TryAdd("file_size_bytes", fileSizeBytes);
        return WithDerived(result);
    }

    /// <summary>Differences between a model's feature list and the expected one, as readable lines (empty = identical).</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var lines = new List<string>();
        var missing = expected.Except(actual, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected, StringComparer.Ordinal).ToList();
        if (missing.Count > 0) lines.Add($"inputs missing from the model: {string.Join(", ", missing)}");
        if (extra.Count > 0) lines.Add($"inputs the current code does not provide: {string.Join(", ", extra)}");
        if (missing.Count == 0 && extra.Count == 0)
        {
            for (var i = 0; i < expected.Count; i++)
                if (!string.Equals(expected[i], actual[i], StringComparison.Ordinal))
                    lines.Add($"position {i}: model has '{actual[i]}', expected '{expected[i]}'");
        }
        return lines;
    }
}
