using System.Diagnostics;
using GifLab.Core.Metrics.Kernels;

namespace GifLab.Benchmarks;

/// <summary><c>… -- kernels [W H]</c>: per-call time of the SSIMULACRA 2 building blocks on one W×H plane (default 500×500).</summary>
public static class KernelProfile
{
    public static void Run(int w, int h)
    {
        var rng = new Random(1);
        var rgb = new byte[w * h * 3];
        rng.NextBytes(rgb);
        var rgb2 = (byte[])rgb.Clone();
        for (int i = 0; i < rgb2.Length; i += 7) rgb2[i] ^= 8;
        var plane = new float[w * h];
        for (int i = 0; i < plane.Length; i++) plane[i] = (float)rng.NextDouble();
        var dst = new float[w * h];
        var temp = new float[w * h];
        var ring = new float[9 * w];
        var gauss = new RecursiveGaussian(1.5);
        var prepared = Ssimulacra2Core.Prepare(rgb, w, h);
        Time("blur (vectorised vertical)", () => gauss.Blur(plane, w, h, dst, temp, ring));
        Time("blur scalar twin", () => gauss.BlurScalar(plane, w, h, dst));
        Time("ssimulacra2 score (prepared)", () => Ssimulacra2Core.Score(prepared, rgb2));
        Time("ssimulacra2 prepare", () => Ssimulacra2Core.Prepare(rgb, w, h));
    }

    private static void Time(string name, Action action)
    {
        if (Environment.GetEnvironmentVariable("GIFLAB_KERNEL") is { Length: > 0 } only && !name.Contains(only, StringComparison.Ordinal)) return;
        for (int i = 0; i < 3; i++) action();
        int n = 0;
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 1000) { action(); n++; }
        Console.WriteLine($"  {name,-32} {sw.Elapsed.TotalMilliseconds / n,9:F3} ms");
    }
}
