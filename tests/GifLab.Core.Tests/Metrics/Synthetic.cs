using GifLab.Core.Model;

namespace GifLab.Core.Tests.Metrics;

/// <summary>Builders for synthetic frame sequences used by the metric tests (no GIF encoding needed).</summary>
public static class Synthetic
{
    public delegate (byte R, byte G, byte B, byte A) Pixel(int frame, int x, int y);

    public static FrameSequence Build(int width, int height, int frames, Pixel pixel, int delayMs = 100, int[]? delays = null)
    {
        var list = new List<Frame>(frames);
        for (int f = 0; f < frames; f++)
        {
            var rgba = new byte[width * height * 4];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    var (r, g, b, a) = pixel(f, x, y);
                    int i = (y * width + x) * 4;
                    rgba[i] = r; rgba[i + 1] = g; rgba[i + 2] = b; rgba[i + 3] = a;
                }
            list.Add(new Frame(rgba, delays?[f] ?? delayMs, DisposalMethod.DoNotDispose, new FrameRect(0, 0, width, height)));
        }
        return new FrameSequence(width, height, list, GifInfo.Synthetic);
    }

    public static FrameSequence Grey(int width, int height, int frames, Func<int, int, int, int> value) =>
        Build(width, height, frames, (f, x, y) => { byte v = (byte)Math.Clamp(value(f, x, y), 0, 255); return (v, v, v, 255); });

    /// <summary>A textured test image: gradients, a checker and a moving disc.</summary>
    public static FrameSequence Textured(int width, int height, int frames) =>
        Build(width, height, frames, (f, x, y) =>
        {
            bool disc = (x - (f * 3 % width)) * (x - (f * 3 % width)) + (y - height / 2) * (y - height / 2) < height * height / 16;
            byte r = disc ? (byte)220 : (byte)(x * 255 / Math.Max(1, width - 1));
            byte g = (byte)(y * 255 / Math.Max(1, height - 1));
            byte b = ((x / 3 + y / 3) & 1) == 0 ? (byte)200 : (byte)40;
            return (r, g, b, 255);
        });

    /// <summary>The sequence with seeded uniform noise of ±<paramref name="amplitude"/> on every channel.</summary>
    public static FrameSequence WithNoise(FrameSequence source, int amplitude, int seed = 7)
    {
        var rng = new Random(seed);
        var frames = source.Frames.Select(fr =>
        {
            var rgba = (byte[])fr.Rgba.Clone();
            for (int i = 0; i < rgba.Length; i++)
                if ((i & 3) != 3) rgba[i] = (byte)Math.Clamp(rgba[i] + rng.Next(-amplitude, amplitude + 1), 0, 255);
            return new Frame(rgba, fr.DelayMs, fr.Disposal, fr.Rect);
        }).ToList();
        return new FrameSequence(source.Width, source.Height, frames, source.Info);
    }

    public static MetricsResult Measure(FrameSequence original, FrameSequence candidate, bool exact = true)
    {
        var suite = new GifLab.Core.Metrics.MetricSuite();
        var r = suite.Measure(suite.Prepare(original), candidate, new GifLab.Core.Metrics.MetricOptions(Exact: exact));
        return new MetricsResult(r);
    }

    public sealed record MetricsResult(GifLab.Core.Metrics.MetricResult Result)
    {
        public double this[string key] => Result.Values[key]
            ?? throw new Xunit.Sdk.XunitException($"{key} is null: {Result.NullReasons[key]}");

        public double? Maybe(string key) => Result.Values[key];
    }
}
