using System.Diagnostics;
using GifLab.Core.Decoding;
using GifLab.Core.Metrics;

namespace GifLab.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/GifLab.Benchmarks -- pair ORIGINAL.gif COMPRESSED.gif [REPEATS=20]</c>:
/// the metric suite on one real pair as a run measures it (prepared original, sampled SSIMULACRA 2), after a
/// warm-up: whole-suite CPU per measurement, then each pair metric alone (white background pass).
/// </summary>
public static class PairProfile
{
    public static void Run(string originalPath, string candidatePath, int repeats)
    {
        var original = GifDecoder.Decode(File.ReadAllBytes(originalPath));
        var candidate = GifDecoder.Decode(File.ReadAllBytes(candidatePath));
        var suite = new MetricSuite();
        var options = MetricOptions.Default;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var prepared = suite.Prepare(original, options);
        suite.Measure(prepared, candidate, options, 1000, 500);
        Console.WriteLine($"{Path.GetFileName(originalPath)} {original.Width}×{original.Height}×{original.FrameCount} vs " +
                          $"{candidate.FrameCount} frames; prepare + first measure {(Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds:F1} ms CPU");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++) suite.Measure(prepared, candidate, options, 1000, 500);
        Console.WriteLine($"allocated per measurement: {(GC.GetAllocatedBytesForCurrentThread() - allocated) / repeats / 1e6:F2} MB");
        Console.WriteLine($"whole suite: {sw.Elapsed.TotalMilliseconds / repeats:F2} ms wall, " +
                          $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / repeats:F2} ms CPU per measurement " +
                          $"(GC gen0/1/2 so far {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)})");
        var totals = new Dictionary<string, (double Wall, double Cpu)>();
        sw.Restart();
        for (var i = 0; i < repeats; i++) MetricBench.Context(prepared, candidate, options);
        Console.WriteLine($"  {"(candidate view + pairing)",-28} {sw.Elapsed.TotalMilliseconds / repeats,9:F2}");
        for (var i = 0; i < repeats; i++)
            foreach (var m in MetricTimings.PerMetric(prepared, candidate, options))
            {
                var t = totals.GetValueOrDefault(m.Name);
                totals[m.Name] = (t.Wall + m.Milliseconds, t.Cpu + m.CpuMilliseconds);
            }
        Console.WriteLine($"  {"metric",-28} {"wall ms",9} {"CPU ms",9}");
        foreach (var (name, t) in totals.OrderByDescending(kv => kv.Value.Wall))
            Console.WriteLine($"  {name,-28} {t.Wall / repeats,9:F2} {t.Cpu / repeats,9:F2}");
    }
}
