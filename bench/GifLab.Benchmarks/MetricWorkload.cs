using GifLab.Core.Metrics;
using GifLab.Core.Model;

namespace GifLab.Benchmarks;

/// <summary>
/// Deterministic synthetic GIF-like pairs for the metric benchmarks: an original with a diagonal
/// gradient (16 levels per channel, so at most 256 colours per frame as in a GIF), a moving disc and
/// a fine checker texture; a candidate quantised to 6 levels per channel with 4×4 Bayer ordered
/// dithering plus seeded lossy noise on 1 pixel in 16 that moves a channel to a neighbouring palette
/// level, so the candidate keeps at most 216 colours per frame, as a real GIF must.
/// </summary>
public static class MetricWorkload
{
    private static readonly int[] Bayer = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

    public static (FrameSequence Original, FrameSequence Candidate) Pair(int width, int height, int frames, int seed = 1)
    {
        var rng = new Random(seed);
        var orig = new List<Frame>(frames);
        var cand = new List<Frame>(frames);
        for (int f = 0; f < frames; f++)
        {
            var a = new byte[width * height * 4];
            var b = new byte[width * height * 4];
            int cx = (f * 7) % width, cy = height / 2, r = Math.Max(2, height / 6);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int i = (y * width + x) * 4;
                    bool disc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
                    int red = disc ? 230 : (x * 15 / Math.Max(1, width - 1)) * 17;
                    int green = disc ? 40 : (y * 15 / Math.Max(1, height - 1)) * 17;
                    int blue = (((x / 4) + (y / 4)) & 1) == 0 ? 180 : 60;
                    a[i] = (byte)red; a[i + 1] = (byte)green; a[i + 2] = (byte)blue; a[i + 3] = 255;
                    for (int c = 0; c < 3; c++)
                    {
                        int bayer = Bayer[(y & 3) * 4 + (x & 3)] * 51 / 16 - 25;
                        int q = Math.Clamp(a[i + c] + bayer + 25, 0, 255) / 51 * 51;
                        if (rng.Next(16) == 0) q = Math.Clamp(q + 51 * rng.Next(-1, 2), 0, 255); // lossy noise, still palette colours
                        b[i + c] = (byte)Math.Clamp(q, 0, 255);
                    }
                    b[i + 3] = 255;
                }
            orig.Add(new Frame(a, 50, DisposalMethod.DoNotDispose, new FrameRect(0, 0, width, height)));
            cand.Add(new Frame(b, 50, DisposalMethod.DoNotDispose, new FrameRect(0, 0, width, height)));
        }
        return (new FrameSequence(width, height, orig, GifInfo.Synthetic), new FrameSequence(width, height, cand, GifInfo.Synthetic));
    }
}
