using System.Diagnostics;
using GifLab.Core.Metrics;
using GifLab.Core.Model;

namespace GifLab.Benchmarks;

/// <summary>Times each registry metric alone on one white-background pass.</summary>
public static class MetricTimings
{
    public static IEnumerable<(string Name, double Milliseconds, double CpuMilliseconds)> PerMetric(PreparedReference prepared, FrameSequence candidate, MetricOptions options)
    {
        var context = MetricBench.Context(prepared, candidate, options);
        foreach (var metric in MetricRegistry.All)
        {
            if (metric.Info.Stage != MetricStage.Pair) continue;
            var sink = new MetricSink();
            if (metric.Info.Name == "temporal_pumping_score") new Ssim().Measure(context, sink);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            metric.Measure(context, sink);
            double wall = sw.Elapsed.TotalMilliseconds;
            yield return (metric.Info.Name, wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
        }
    }
}
