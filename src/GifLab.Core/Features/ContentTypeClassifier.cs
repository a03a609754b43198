namespace GifLab.Core.Features;

/// <summary>
/// Assigns a <see cref="ContentType"/> from the stored GifFeaturesV1 values alone (no pixels), with five ordered rules.
/// <para>
/// Why rules and not a model: there is no labelled corpus large enough to train one (the check below labels 97 GIFs by
/// eye), the rules read as sentences and each threshold names the feature it relies on. The rules were written after
/// looking at the feature values of a hand-labelled sample (61 GIFs of shared/corpus/train, every 19th file, and the
/// 36 of shared/corpus/real); testdata/content-types/ holds that sample's labels and features, and
/// <c>ContentTypeClassifierTests</c> prints its confusion table (docs/content-types.md).
/// </para>
/// <list type="number">
/// <item><b>photo</b>: a rich colour distribution spread over many colours — colour-histogram entropy ≥ 4 bits with no
/// colour dominating (dominant_color_ratio &lt; 0.65) and ≥ 200 palette entries; or, for renders with a mid-sized
/// histogram, entropy ≥ 2.5 bits with color_complexity ≥ 0.15 (many distinct coarse colours in one frame).</item>
/// <item><b>pixel-art</b>: a tiny palette (≤ 16 entries, the size of retro console and Pyxel palettes) on a canvas of
/// at least 128 px with real structure (edge_density ≥ 0.05, histogram entropy ≥ 1.5): game screens and sprite sheets.
/// Icons with a few colours are smaller or have fewer edges.</item>
/// <item><b>text</b>: a large canvas (≥ 300 px) whose background dominates (dominant_color_ratio ≥ 0.8) but with many
/// distinct coarse colours (color_complexity ≥ 0.12, the anti-aliased glyph edges of screen and terminal captures) and
/// a narrow histogram (entropy &lt; 2.5 bits).</item>
/// <item><b>cartoon</b>: a mid-sized, shaded palette (≥ 48 entries, histogram entropy ≥ 2 bits) where the background
/// does not take almost everything (dominant_color_ratio &lt; 0.93): emoticons, mascots, illustrations.</item>
/// <item><b>graphic</b>: everything else — flat colour, few colours, mostly background (diagrams, icons, spinners).</item>
/// </list>
/// Known weak spots (from the labelled sample): text inside small banners and logos reads as graphic; small
/// continuous-tone icons under 50 colours read as graphic; diagrams full of labels read as graphic. A missing feature
/// value makes its rule not apply.
/// </summary>
public static class ContentTypeClassifier
{
    /// <summary>Bumped whenever a rule or threshold changes (stored types may then differ from a fresh classification).</summary>
    public const int Version = 1;

    public static ContentType Classify(GifFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Classify(features.Values);
    }

    /// <summary>Classifies a feature map keyed by <see cref="FeatureNames"/> (as stored in <c>features_json</c>).</summary>
    public static ContentType Classify(IReadOnlyDictionary<string, double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double V(string name) => values.TryGetValue(name, out var v) && v is { } d && double.IsFinite(d) ? d : double.NaN;
        var largestSide = Math.Max(V(FeatureNames.Width), V(FeatureNames.Height));
        var colors = V(FeatureNames.UniqueColors);
        var histogramEntropy = V(FeatureNames.ColorHistogramEntropy);
        var dominant = V(FeatureNames.DominantColorRatio);
        var complexity = V(FeatureNames.ColorComplexity);
        var edges = V(FeatureNames.EdgeDensity);

        // NaN comparisons are false, so a missing value never satisfies a rule.
        if ((histogramEntropy >= 4.0 && dominant < 0.65 && colors >= 200) || (histogramEntropy >= 2.5 && complexity >= 0.15))
            return ContentType.Photo;
        if (colors <= 16 && largestSide >= 128 && edges >= 0.05 && histogramEntropy >= 1.5)
            return ContentType.PixelArt;
        if (largestSide >= 300 && dominant >= 0.8 && complexity >= 0.12 && histogramEntropy < 2.5)
            return ContentType.Text;
        if (colors >= 48 && histogramEntropy >= 2.0 && dominant < 0.93)
            return ContentType.Cartoon;
        return ContentType.Graphic;
    }

    /// <summary>Classifies a stored <c>features_json</c> text; null when it is null or unparsable.</summary>
    public static ContentType? FromJson(string? featuresJson)
    {
        if (string.IsNullOrEmpty(featuresJson)) return null;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(featuresJson);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) return null;
            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Value.ValueKind == System.Text.Json.JsonValueKind.Number) values[p.Name] = p.Value.GetDouble();
            return Classify(values);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
