using System.Diagnostics;
using GifLab.Core.Metrics;

namespace GifLab.Benchmarks;

/// <summary>
/// <c>MetricQuickTiming.Run()</c> (call from any console host, e.g. a scratch project referencing this one): one Stopwatch pass
/// per metric and for the whole suite on the two benchmark workloads (after a warm-up), for a fast
/// look without BenchmarkDotNet's many iterations. Use <see cref="MetricBenchmarks"/> for quoted figures.
/// </summary>
public static class MetricQuickTiming
{
    public static void Run()
    {
        foreach (var (w, h, n) in new[] { (480, 270, 40), (500, 500, 100) })
        {
            var (o, c) = MetricWorkload.Pair(w, h, n);
            var suite = new MetricSuite();
            var prepared = suite.Prepare(o);
            suite.Measure(prepared, c, MetricOptions.Default); // warm-up, builds reference caches
            var sw = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var result = suite.Measure(prepared, c, MetricOptions.Default);
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine($"{w}x{h}x{n}: whole suite (default, prepared original) wall {sw.Elapsed.TotalMilliseconds:F1} ms, " +
                              $"process CPU {cpuMs:F1} ms, composite {result.Values["composite_score"]:F4}");
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var context = MetricBench.Context(prepared, c, MetricOptions.Default);
            var sink = new MetricSink();
            foreach (var m in MetricRegistry.All)
                if (m.Info.Name != "ssimulacra2") m.Measure(context, sink);
            Console.WriteLine($"  without SSIMULACRA 2 (view + every other metric): process CPU " +
                              $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F1} ms");
            sw.Restart();
            var view = MetricBench.Context(prepared, c, MetricOptions.Default);
            Console.WriteLine($"  {"(candidate view + pairing)",-28} {sw.Elapsed.TotalMilliseconds,9:F2}");
            Console.WriteLine($"  {"metric",-28} {"wall ms",9} {"CPU ms",9}");
            foreach (var m in MetricTimings.PerMetric(prepared, c, MetricOptions.Default))
                Console.WriteLine($"  {m.Name,-28} {m.Milliseconds,9:F2} {m.CpuMilliseconds,9:F2}");
        }
    }
}
