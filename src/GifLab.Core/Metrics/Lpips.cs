using System.Buffers;
using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Metrics;

/// <summary>
/// LPIPS (Zhang et al. 2018; the reference uses AlexNet v0.1), lower is better, 0 = identical. Runs the
/// network in <see cref="MetricOptions.LpipsModel"/> (the CLI loads the ONNX file named by
/// <c>GIFLAB_LPIPS_MODEL</c>); GifLab ships no weights, so without a model every key is null with
/// <see cref="NoModelReason"/> — a value is never faked or replaced by a proxy (metrics.md §16.9).
/// </summary>
/// <remarks>
/// <para>Pairs: the suite's frame pairing on the pass's background (transparent GIFs: white and black,
/// worse kept), at most <see cref="MaxPairs"/> uniformly spaced original frames unless
/// <see cref="MetricOptions.Exact"/> (<c>lpips_frames</c> says how many were scored).</para>
/// <para>Input: RGB, v / 127.5 − 1 ∈ [−1, 1], NCHW. A model with fixed spatial dimensions gets frames
/// resized to exactly those; a dynamic one gets frames whose longer side is above <see cref="MaxSide"/>
/// downscaled to it, aspect kept (area averaging, see <see cref="LpipsInput"/>; the reference uses Lanczos-4).
/// Pairs go through the model in batches of up to <see cref="BatchSize"/> (or the model's own limit).</para>
/// <para>A model that fails at run time gives null with the error as the reason (the run goes on).</para>
/// </remarks>
public sealed class Lpips : IQualityMetric
{
    public const string NoModelReason = "no LPIPS model configured (GIFLAB_LPIPS_MODEL)";

    /// <summary>Original frames scored when not exact (reference: <c>LPIPS_MAX_FRAMES</c>).</summary>
    public const int MaxPairs = 100;

    /// <summary>Longer side of the network input for models with dynamic spatial size (reference: <c>LPIPS_DOWNSCALE_SIZE</c>).</summary>
    public const int MaxSide = 512;

    /// <summary>Pairs per model call (reference batch size).</summary>
    public const int BatchSize = 8;

    public MetricInfo Info { get; } = new("lpips", 2, [.. MetricInfo.Family("lpips"), "lpips_frames"], ScoreDirection.LowerIsBetter, 0, 1, false,
        "LPIPS through the ONNX model in GIFLAB_LPIPS_MODEL (≤ 100 uniformly sampled pairs unless exact); null without a model, never approximated.");

    public void Measure(MetricContext context, MetricSink sink)
    {
        var model = context.Options.LpipsModel;
        if (model is null)
        {
            string reason = context.Options.LpipsModelPath is { } path
                ? $"LPIPS model '{path}' is configured but was not loaded"
                : NoModelReason;
            foreach (var k in Info.Outputs) sink.SetNull(k, reason);
            return;
        }

        int[] sample = context.SampledPairs(MaxPairs);
        var (targetWidth, targetHeight) = InputSize(context.Width, context.Height, model.InputWidth, model.InputHeight);
        int item = 3 * targetWidth * targetHeight;
        int batch = Math.Clamp(Math.Min(model.MaxBatch, sample.Length), 1, BatchSize);
        var original = ArrayPool<float>.Shared.Rent(batch * item);
        var compressed = ArrayPool<float>.Shared.Rent(batch * item);
        Span<float> distances = stackalloc float[BatchSize];
        var perFrame = new double?[sample.Length];
        try
        {
            for (int start = 0; start < sample.Length; start += batch)
            {
                int n = Math.Min(batch, sample.Length - start);
                for (int k = 0; k < n; k++)
                {
                    int i = sample[start + k];
                    LpipsInput.Write(context.ReferenceRgb(i), context.Width, context.Height, targetWidth, targetHeight,
                        original.AsSpan(k * item, item));
                    LpipsInput.Write(context.CandidateRgb(i), context.Width, context.Height, targetWidth, targetHeight,
                        compressed.AsSpan(k * item, item));
                }
                model.Distances(original.AsMemory(0, n * item), compressed.AsMemory(0, n * item), n, targetHeight, targetWidth,
                    distances[..n]);
                for (int k = 0; k < n; k++) perFrame[start + k] = distances[k];
            }
        }
        catch (LpipsModelException e)
        {
            foreach (var k in Info.Outputs) sink.SetNull(k, $"LPIPS model failed: {e.Message}");
            return;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(compressed);
            ArrayPool<float>.Shared.Return(original);
        }
        sink.SetFamily("lpips", perFrame, "no frame pairs with a finite LPIPS distance");
        sink.Set("lpips_frames", sample.Length);
    }

    /// <summary>Network input size for a canvas: fixed model dimensions win; a dynamic dimension follows the
    /// canvas, scaled so that the longer side is at most <see cref="MaxSide"/> (aspect kept, at least 1 px).</summary>
    public static (int Width, int Height) InputSize(int width, int height, int? fixedWidth, int? fixedHeight)
    {
        int w = width, h = height, longer = Math.Max(width, height);
        if (longer > MaxSide)
        {
            double scale = (double)MaxSide / longer;
            w = Math.Max(1, (int)Math.Round(width * scale, MidpointRounding.AwayFromZero));
            h = Math.Max(1, (int)Math.Round(height * scale, MidpointRounding.AwayFromZero));
        }
        return (fixedWidth ?? w, fixedHeight ?? h);
    }
}
