using GifLab.Core.Model;

namespace GifLab.Core.Features;

/// <summary>Front door of feature extraction (GifFeaturesV1). The runner and <c>giflab features</c> use only this type.</summary>
public static class FeatureExtractor
{
    /// <summary>Extraction version stored in <c>gifs.feature_version</c> (semantic version).</summary>
    public const string Version = "0.0.0";

    /// <summary>Extracts the feature record of one decoded GIF.</summary>
    public static GifFeatures Extract(FrameSequence frames, ReadOnlySpan<byte> fileBytes, string gifSha, string gifName, DateTimeOffset extractedAt) =>
        new(gifSha, gifName, Version, extractedAt, new Dictionary<string, double?>());
}

/// <summary>One GIF's feature record: identity plus named values in registry order.</summary>
public sealed record GifFeatures(string GifSha, string GifName, string ExtractionVersion, DateTimeOffset ExtractedAt,
                                 IReadOnlyDictionary<string, double?> Values);
