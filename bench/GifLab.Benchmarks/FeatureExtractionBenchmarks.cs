using BenchmarkDotNet.Attributes;
using GifLab.Core.Features;
using GifLab.Core.Model;

namespace GifLab.Benchmarks;

/// <summary>
/// Whole GifFeaturesV1 extraction of a synthetic 500×500, 100-frame animation (target ≤ 150 ms): a diagonal
/// gradient background, a 120×120 textured square moving 4 px per frame and a 100×100 noise patch (seeded),
/// opaque, all frames decoded in memory already. Run:
/// <c>dotnet run -c Release --project bench/GifLab.Benchmarks -- --filter '*FeatureExtraction*'</c>
/// </summary>
[MemoryDiagnoser]
public class FeatureExtractionBenchmarks
{
    public const int Size = 500, Frames = 100;
    private FrameSequence _sequence = null!;
    private readonly byte[] _file = [(byte)'G', (byte)'I', (byte)'F'];

    [GlobalSetup]
    public void Setup() => _sequence = Build();

    public static FrameSequence Build()
    {
        var rng = new Random(42);
        var frames = new Frame[Frames];
        for (var f = 0; f < Frames; f++)
        {
            var px = new byte[Size * Size * 4];
            for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                var p = (y * Size + x) * 4;
                px[p] = (byte)((x + y) / 4);
                px[p + 1] = (byte)(y / 2);
                px[p + 2] = (byte)(255 - x / 2);
                px[p + 3] = 255;
            }
            var sx = (f * 4) % (Size - 120);
            for (var y = 190; y < 310; y++)
            for (var x = sx; x < sx + 120; x++)
            {
                var p = (y * Size + x) * 4;
                var on = ((x - sx) / 8 + (y - 190) / 8) % 2 == 0;
                px[p] = on ? (byte)240 : (byte)20; px[p + 1] = on ? (byte)220 : (byte)40; px[p + 2] = 30;
            }
            for (var y = 20; y < 120; y++)
            for (var x = 360; x < 460; x++)
            {
                var p = (y * Size + x) * 4;
                var v = (byte)rng.Next(256);
                px[p] = v; px[p + 1] = v; px[p + 2] = v;
            }
            frames[f] = new Frame(px, 40, DisposalMethod.DoNotDispose, new FrameRect(0, 0, Size, Size));
        }
        return new FrameSequence(Size, Size, frames, GifInfo.Synthetic);
    }

    [Benchmark]
    public GifFeatures Extract500x500x100() =>
        FeatureExtractor.Extract(_sequence, _file, new string('0', 64), "synthetic.gif", DateTimeOffset.UnixEpoch);
}
