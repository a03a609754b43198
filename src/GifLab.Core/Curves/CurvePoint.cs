namespace GifLab.Core.Curves;

/// <summary>
/// One measured point of a compression curve. <paramref name="SizeKiB"/> is the reference's y-value (bytes / 1024);
/// the other fields are known when the curve was built from stored runs and null for curves migrated from V1 records.
/// </summary>
/// <param name="X">Lossy level (lossy curves) or palette size (colour curves).</param>
/// <param name="SizeKiB">Output size in KiB (bytes / 1024), always &gt; 0.</param>
/// <param name="SizeBytes">Output size in bytes.</param>
/// <param name="CompressionRatio">Original size / output size (&gt; 1 means smaller).</param>
/// <param name="CompositeScore">metrics_json <c>composite_score</c> of the run.</param>
/// <param name="Ssim">metrics_json <c>ssim</c> of the run.</param>
public sealed record CurvePoint(int X, double SizeKiB, long? SizeBytes = null, double? CompressionRatio = null,
                                double? CompositeScore = null, double? Ssim = null);
