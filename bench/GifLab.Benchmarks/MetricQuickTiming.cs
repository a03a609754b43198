using System.Diagnostics;
using GifLab.Core.Metrics;

namespace GifLab.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/GifLab.Benchmarks -- quick</c>: one Stopwatch pass
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
            const int Repeats = 5; // best of 5: the machine is shared, the minimum is the steadiest figure
            double bestWall = double.MaxValue, bestCpu = double.MaxValue, bestWithout = double.MaxValue;
            MetricResult? result = null;
            for (int r = 0; r < Repeats; r++)
            {
                var sw = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                result = suite.Measure(prepared, c, MetricOptions.Default);
                bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
                bestWall = Math.Min(bestWall, sw.Elapsed.TotalMilliseconds);
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var context = MetricBench.Context(prepared, c, MetricOptions.Default, pooled: true);
                var sink = new MetricSink();
                foreach (var m in MetricRegistry.All)
                    if (m.Info.Name != "ssimulacra2" && m.Info.Stage == MetricStage.Pair) m.Measure(context, sink);
                context.DropCandidateView();
                bestWithout = Math.Min(bestWithout, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
            }
            Console.WriteLine($"{w}x{h}x{n}: whole suite (default, prepared original, best of {Repeats}) wall {bestWall:F1} ms, " +
                              $"process CPU {bestCpu:F1} ms, composite {result!.Values["composite_score"]:F4}");
            Console.WriteLine($"  without SSIMULACRA 2 (view + every other metric): process CPU {bestWithout:F1} ms");
            var totals = new Dictionary<string, (double Wall, double Cpu)>();
            for (int r = 0; r < Repeats; r++)
                foreach (var m in MetricTimings.PerMetric(prepared, c, MetricOptions.Default))
                {
                    var t = totals.GetValueOrDefault(m.Name, (Wall: double.MaxValue, Cpu: double.MaxValue));
                    totals[m.Name] = (Math.Min(t.Wall, m.Milliseconds), Math.Min(t.Cpu, m.CpuMilliseconds));
                }
            Console.WriteLine($"  {"metric (best of 5)",-28} {"wall ms",9} {"CPU ms",9}");
            foreach (var (name, t) in totals)
                Console.WriteLine($"  {name,-28} {t.Wall,9:F2} {t.Cpu,9:F2}");
        }
    }
}
