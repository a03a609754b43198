using BenchmarkDotNet.Attributes;
using GifLab.Core.Metrics;
using GifLab.Core.Metrics.Kernels;
using GifLab.Core.Model;

namespace GifLab.Benchmarks;

/// <summary>Builds a white-background metric context directly (what MetricSuite does per pass).</summary>
public static class MetricBench
{
    /// <param name="pooled">Flatten the candidate into pooled arrays, as <see cref="MetricSuite"/> does; call
    /// <see cref="MetricContext.DropCandidateView"/> after use to give them back.</param>
    public static MetricContext Context(PreparedReference prepared, FrameSequence candidate, MetricOptions options, bool pooled = false) =>
        new(prepared, prepared.View(255), candidate, new FrameView(candidate, 255, pooled: pooled), FramePairing.Pair(prepared.Frames, candidate), options);
}

/// <summary>
/// Whole-suite and per-metric time on the two target workloads (synthetic, <see cref="MetricWorkload"/>):
/// 480×270×40 (target: suite without SSIMULACRA2/LPIPS ≤ 120 ms) and 500×500×100.
/// Run: <c>dotnet run -c Release --project bench/GifLab.Benchmarks -- --filter *MetricBenchmarks* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class MetricBenchmarks
{
    private MetricSuite _suite = null!;
    private PreparedReference _prepared = null!;
    private FrameSequence _candidate = null!;
    private MetricContext _context = null!;

    [Params("480x270x40", "500x500x100")]
    public string Workload { get; set; } = "480x270x40";

    [ParamsSource(nameof(MetricNames))]
    public string Metric { get; set; } = "ssim";

    public static IEnumerable<string> MetricNames() =>
        [.. MetricRegistry.All.Where(m => m.Info.Stage == MetricStage.Pair).Select(m => m.Info.Name)];

    [GlobalSetup]
    public void Setup()
    {
        var p = Workload.Split('x').Select(int.Parse).ToArray();
        var (o, c) = MetricWorkload.Pair(p[0], p[1], p[2]);
        _suite = new MetricSuite();
        _prepared = _suite.Prepare(o);
        _candidate = c;
        _suite.Measure(_prepared, c, MetricOptions.Default); // builds the reference caches once
        _context = MetricBench.Context(_prepared, c, MetricOptions.Default);
    }

    [Benchmark]
    public int Measure()
    {
        var sink = new MetricSink();
        if (Metric == "temporal_pumping_score") new Ssim().Measure(_context, sink);
        MetricRegistry.Find(Metric)!.Measure(_context, sink);
        return sink.Values.Count;
    }

}

/// <summary>
/// The whole suite as the runner calls it (prepared original, default sampling), and the same
/// without SSIMULACRA 2 (target ≤ 120 ms at 480×270×40). Includes building the candidate's view.
/// Run: <c>dotnet run -c Release --project bench/GifLab.Benchmarks -- --filter *MetricSuiteBenchmarks* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class MetricSuiteBenchmarks
{
    private MetricSuite _suite = null!;
    private PreparedReference _prepared = null!;
    private FrameSequence _candidate = null!;

    [Params("480x270x40", "500x500x100")]
    public string Workload { get; set; } = "480x270x40";

    [GlobalSetup]
    public void Setup()
    {
        var p = Workload.Split('x').Select(int.Parse).ToArray();
        var (o, c) = MetricWorkload.Pair(p[0], p[1], p[2]);
        _suite = new MetricSuite();
        _prepared = _suite.Prepare(o);
        _candidate = c;
        _suite.Measure(_prepared, c, MetricOptions.Default); // builds the reference caches once
    }

    [Benchmark]
    public int Suite() => _suite.Measure(_prepared, _candidate, MetricOptions.Default).Values.Count;

    [Benchmark]
    public int SuiteWithoutSsimulacra2()
    {
        var context = MetricBench.Context(_prepared, _candidate, MetricOptions.Default);
        var sink = new MetricSink();
        foreach (var m in MetricRegistry.All)
            if (m.Info.Name != "ssimulacra2") m.Measure(context, sink);
        return sink.Values.Count;
    }
}

/// <summary>SSIMULACRA 2 per 500×500 frame pair with a prepared original (target ≤ 40 ms).</summary>
[MemoryDiagnoser]
public class MetricSsimulacra2Benchmarks
{
    private Ssimulacra2Core.Prepared _prepared = null!;
    private byte[] _candidate = null!;
    private byte[] _original = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (o, c) = MetricWorkload.Pair(500, 500, 1);
        _original = new FrameView(o, 255).Rgb[0];
        _candidate = new FrameView(c, 255).Rgb[0];
        _prepared = Ssimulacra2Core.Prepare(_original, 500, 500);
    }

    [Benchmark] public double ScorePrepared() => Ssimulacra2Core.Score(_prepared, _candidate);
    [Benchmark] public object PrepareOriginal() => Ssimulacra2Core.Prepare(_original, 500, 500);
}
