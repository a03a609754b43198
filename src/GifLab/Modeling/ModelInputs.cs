namespace GifLab.Modeling;

/// <summary>
/// The model inputs: GifFeaturesV1 values read by name from <c>gifs.features_json</c> (training) or from the feature
/// extractor (prediction). A saved model records the names in order and prediction refuses models whose list differs.
/// </summary>
public static class ModelInputs
{
    /// <summary>The 24 inputs in the order of the reference (<c>prediction.md</c> §2), read from the feature registry.</summary>
    public static IReadOnlyList<string> Names => GifLab.Core.Features.FeatureRegistry.ModelInputNames;

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
        return result;
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
