using GifLab.Core.Curves;
using GifLab.Core.Features;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Modeling;

/// <summary>
/// Curve points that are byte-identical for a given GIF because their only difference is a palette size the GIF already
/// fits in: when the engine reduces to N colours and no composited frame has more than N
/// (<c>max_frame_colors</c> ≤ N), the reduction is a no-op, so every such point gives the same output. ImageMagick's
/// lossy levels 10–100 (N = 194 … 16, Riemersma dither) and its colour curve behave so; gifsicle's lossy curve does not
/// (its lossy setting changes too), nor, on the training data, gifsicle's or FFmpeg's colour curves exactly.
/// <para>Nothing here is assumed per engine: <see cref="Learn"/> keeps the positions whose sizes agree on at least
/// <see cref="MinAgreement"/> of the training GIFs that can tell, and the curve model then predicts one size for the
/// "saturated" positions of a GIF (<see cref="Tie"/>, the mean in log size), and a calibration run at one of them
/// fixes them all (<see cref="SizeCalibration.Shifted"/>, <see cref="CurvePredictor.Calibrate(CurvePrediction, IReadOnlyList{MeasuredSize}, long)"/>).</para>
/// </summary>
/// <param name="PaletteSizes">Palette size N of each position that takes part (compression order).</param>
/// <param name="FeatureIndex">Index of <c>max_frame_colors</c> among the model inputs.</param>
/// <param name="GifsChecked">Training GIFs with at least two saturated participating positions measured.</param>
/// <param name="Agreement">Share of those whose sizes at all those positions are equal.</param>
public sealed record PaletteSaturation(IReadOnlyList<(int Position, int Colors)> PaletteSizes, int FeatureIndex, int GifsChecked, double Agreement)
{
    /// <summary>Least share of the training GIFs on which a position must agree (and the whole set must) to take part.</summary>
    public const double MinAgreement = 0.99;

    /// <summary>Fewest training GIFs that must be able to tell, per position and for the set.</summary>
    public const int MinGifs = 20;

    /// <summary>
    /// The palette size the engine reduces to at each curve position: the colour count on the colour curve; on the lossy
    /// curve (256 colours) the lossy tool's own palette (<see cref="EngineFamily.MaxColors"/>: ImageMagick and FFmpeg map
    /// the level to N colours), else 256.
    /// </summary>
    public static IReadOnlyList<(int Position, int Colors)> PaletteSizesOf(Engine engine, CurveType curve, IReadOnlyList<int> positions, FamilyRegistry? registry = null)
    {
        registry ??= FamilyRegistry.Default;
        var tool = registry.LossyToolFor(engine);
        var family = registry.FamilyOf(tool);
        return positions.Select(p => (p, curve == CurveType.Colors
            ? Math.Clamp(p, 2, 256)
            : family.MaxColors(tool, new ParamPreset(p, 256, 1.0)) ?? 256)).ToList();
    }

    /// <summary>The participating positions saturated by a GIF with these inputs (compression order); empty when fewer than two.</summary>
    public IReadOnlyList<int> Saturated(ReadOnlySpan<float> features)
    {
        if ((uint)FeatureIndex >= (uint)features.Length || !float.IsFinite(features[FeatureIndex])) return [];
        var colors = features[FeatureIndex];
        List<int>? list = null;
        foreach (var (p, n) in PaletteSizes)
            if (n >= colors) (list ??= []).Add(p);
        return list is { Count: >= 2 } ? list : [];
    }

    /// <summary>Gives the saturated positions of a predicted size curve (log size per position, <paramref name="positions"/> order) their mean.</summary>
    public void Tie(ReadOnlySpan<float> features, IReadOnlyList<int> positions, double[] values)
    {
        var tied = Saturated(features);
        if (tied.Count == 0) return;
        double sum = 0;
        var count = 0;
        for (var i = 0; i < positions.Count; i++)
            if (tied.Contains(positions[i]) && !double.IsNaN(values[i])) { sum += values[i]; count++; }
        if (count == 0) return;
        var mean = sum / count;
        for (var i = 0; i < positions.Count; i++)
            if (tied.Contains(positions[i]) && !double.IsNaN(values[i])) values[i] = mean;
    }

    /// <summary>
    /// Learns which positions take part from the training GIFs of <paramref name="data"/>: a position does when, on at
    /// least <see cref="MinAgreement"/> of the ≥ <see cref="MinGifs"/> GIFs where it and another position are saturated
    /// and the saturated sizes have a unique most common value shared by two or more, its size is that value. The set is
    /// kept when at least two positions take part and its sizes are all equal on at least <see cref="MinAgreement"/> of
    /// the GIFs with two or more of them saturated. Null when the inputs lack <c>max_frame_colors</c> or nothing agrees.
    /// </summary>
    public static PaletteSaturation? Learn(CurveDataset data, IEnumerable<GifCurve> train, FamilyRegistry? registry = null)
    {
        var index = InputIndex(data.FeatureNames, FeatureNames.MaxFrameColors);
        if (index < 0) return null;
        var all = PaletteSizesOf(data.Engine, data.Curve, data.Positions, registry);
        var gifs = train.ToList();
        var agree = new Dictionary<int, (int Yes, int Of)>();
        foreach (var g in gifs)
        {
            var sizes = SaturatedSizes(g, all, index);
            if (sizes.Count < 2) continue;
            var counts = sizes.GroupBy(s => s.Bytes).Select(x => (Bytes: x.Key, Count: x.Count())).OrderByDescending(x => x.Count).ToList();
            if (counts[0].Count < 2 || (counts.Count > 1 && counts[1].Count == counts[0].Count)) continue;
            foreach (var (p, bytes) in sizes)
            {
                var (yes, of) = agree.GetValueOrDefault(p);
                agree[p] = (yes + (bytes == counts[0].Bytes ? 1 : 0), of + 1);
            }
        }
        var kept = all.Where(pn => agree.TryGetValue(pn.Position, out var a) && a.Of >= MinGifs && a.Yes >= MinAgreement * a.Of).ToList();
        if (kept.Count < 2) return null;
        int checkedGifs = 0, equal = 0;
        foreach (var g in gifs)
        {
            var sizes = SaturatedSizes(g, kept, index);
            if (sizes.Count < 2) continue;
            checkedGifs++;
            if (sizes.All(s => s.Bytes == sizes[0].Bytes)) equal++;
        }
        if (checkedGifs < MinGifs || equal < MinAgreement * checkedGifs) return null;
        return new PaletteSaturation(kept, index, checkedGifs, (double)equal / checkedGifs);
    }

    /// <summary>Index of the input <paramref name="name"/> among <paramref name="featureNames"/>, or −1.</summary>
    private static int InputIndex(IReadOnlyList<string> featureNames, string name)
    {
        for (var i = 0; i < featureNames.Count; i++) if (featureNames[i] == name) return i;
        return -1;
    }

    private static List<(int Position, long Bytes)> SaturatedSizes(GifCurve g, IReadOnlyList<(int Position, int Colors)> sizes, int index)
    {
        var list = new List<(int, long)>();
        var colors = g.Features[index];
        if (!float.IsFinite(colors)) return list;
        foreach (var (p, n) in sizes)
        {
            if (n < colors) continue;
            foreach (var point in g.Points)
                if (point.Position == p && point.OutputSizeBytes > 0) { list.Add((p, point.OutputSizeBytes)); break; }
        }
        return list;
    }

    /// <summary>The stored form (model metadata <c>palette_saturation</c>).</summary>
    public PaletteSaturationMetadata ToMetadata() => new(FeatureNames.MaxFrameColors,
        PaletteSizes.ToDictionary(pn => pn.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), pn => pn.Colors), GifsChecked, Agreement);

    /// <summary>From stored metadata, with the feature's index among <paramref name="featureNames"/>; null when the input is absent.</summary>
    public static PaletteSaturation? From(PaletteSaturationMetadata? m, IReadOnlyList<string> featureNames, IReadOnlyList<int> positions)
    {
        if (m is null) return null;
        var index = InputIndex(featureNames, m.Feature);
        if (index < 0) return null;
        var sizes = positions.Where(p => m.PaletteSizes.ContainsKey(p.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                             .Select(p => (p, m.PaletteSizes[p.ToString(System.Globalization.CultureInfo.InvariantCulture)])).ToList();
        return sizes.Count < 2 ? null : new PaletteSaturation(sizes, index, m.GifsChecked, m.Agreement);
    }
}

/// <summary>A stored <see cref="PaletteSaturation"/>: the input, each participating position's palette size, and the training agreement.</summary>
public sealed record PaletteSaturationMetadata(string Feature, Dictionary<string, int> PaletteSizes, int GifsChecked, double Agreement);
