using BenchmarkDotNet.Attributes;
using GifLab.Core.Decoding;
using GifLab.Core.Encoding;
using GifLab.Core.Model;

namespace GifLab.Benchmarks;

/// <summary>
/// GIF decoding speed. Target (issue: foundation item 3): a 500×500, 100-frame GIF in ≤ 150 ms, SkiaSharp's figure
/// on this machine. The input is built once with <see cref="GifEncoder"/>: full-canvas frames of ≤ 200 colours
/// (moving colour bands), each with its own local colour table — about 7 MB, i.e. heavier on LZW than a typical
/// optimised animation of that size. Run: <c>dotnet run -c Release --project bench/GifLab.Benchmarks -- --filter
/// *DecodeBenchmarks* --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private byte[] _animation = [];
    private byte[] _still = [];

    [GlobalSetup]
    public void Setup()
    {
        _animation = Build(500, 500, 100);
        _still = Build(1000, 1000, 1);
    }

    [Benchmark(Description = "500x500x100 animation")]
    public FrameSequence Animation500x500x100() => GifDecoder.Decode(_animation);

    [Benchmark(Description = "1000x1000 still")]
    public FrameSequence Still1000x1000() => GifDecoder.Decode(_still);

    private static byte[] Build(int width, int height, int frameCount)
    {
        var frames = new byte[frameCount][];
        var delays = new int[frameCount];
        for (var f = 0; f < frameCount; f++)
        {
            var rgba = new byte[width * height * 4];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var p = (y * width + x) * 4;
                    var c = ((x + f * 3) / 4 + y / 25 * 7) % 200;
                    rgba[p] = (byte)c;
                    rgba[p + 1] = (byte)(255 - c);
                    rgba[p + 2] = (byte)(c * 7);
                    rgba[p + 3] = 255;
                }
            }
            frames[f] = rgba;
            delays[f] = 40;
        }
        return GifEncoder.Encode(width, height, frames, delays, loopCount: 0);
    }
}
