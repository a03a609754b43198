namespace GifLab.Modeling;

/// <summary>
/// What a size model's target is relative to. Size is learnt as log(output bytes ÷ base bytes), where the base is the
/// original file size (<see cref="FileSize"/>) or the file size times a model input that is a ratio to it, such as
/// <see cref="ReencodeEstimate"/> (an estimate of the lossless <c>gifsicle --optimize</c> re-encode ÷ file bytes). A good
/// base leaves the trees only the engine's deviation from it to learn: an original packed tighter than gifsicle's
/// re-encode grows, one with wasteful frames shrinks, and the file size alone cannot tell which.
/// </summary>
/// <param name="Name"><see cref="FileSize"/> or the name of a model input holding a ratio to the file size.</param>
/// <param name="CrossValidatedMape">Size MAPE % of each candidate in the grouped cross-validation on the training GIFs (empty when none was run).</param>
/// <param name="Choice">Why this anchor was kept, for the report and metadata.</param>
public sealed record SizeAnchor(string Name, IReadOnlyDictionary<string, double> CrossValidatedMape, string Choice)
{
    /// <summary>The original file size: the reference's target, log(output ÷ original).</summary>
    public const string FileSize = "file_size_bytes";

    /// <summary>The structure feature estimating the lossless <c>gifsicle -O1</c> re-encode, as a ratio to the file size.</summary>
    public const string ReencodeEstimate = GifLab.Core.Features.FeatureNames.ReencodeEstimateRatio;

    /// <summary>The anchors the trainer compares, in order of preference on a tie.</summary>
    public static IReadOnlyList<string> Candidates { get; } = [FileSize, ReencodeEstimate];

    public static SizeAnchor Default { get; } = new(FileSize, new Dictionary<string, double>(), "file size (default)");

    /// <summary>Index of the anchor's input in <paramref name="featureNames"/>, -1 for <see cref="FileSize"/>.</summary>
    /// <exception cref="ArgumentException">The anchor names an input that is not in the list.</exception>
    public static int IndexIn(string anchor, IReadOnlyList<string> featureNames)
    {
        if (anchor == FileSize) return -1;
        for (var i = 0; i < featureNames.Count; i++)
            if (featureNames[i] == anchor) return i;
        throw new ArgumentException($"size anchor '{anchor}' is not a model input", nameof(anchor));
    }

    /// <summary>
    /// The base bytes of one GIF: <paramref name="originalSizeBytes"/> × the anchor input's value (index from
    /// <see cref="IndexIn"/>); the file size itself for <see cref="FileSize"/> or when the value is missing, not finite
    /// or not positive (a GIF whose features lack the anchor is predicted relative to its file size rather than not at all).
    /// </summary>
    public static double BaseBytes(long originalSizeBytes, ReadOnlySpan<float> row, int anchorIndex)
    {
        if (anchorIndex < 0) return originalSizeBytes;
        var ratio = row[anchorIndex];
        return float.IsFinite(ratio) && ratio > 0 ? originalSizeBytes * (double)ratio : originalSizeBytes;
    }
}
