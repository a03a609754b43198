using System.Diagnostics;
using GifLab.Core.Decoding;

namespace GifLab.Core.Tests.Decoding;

/// <summary>
/// "Never crash, never hang": seeded mutations (bit flips, byte overwrites, truncations, spliced garbage) of the
/// committed fixtures must either decode or throw <see cref="GifFormatException"/>, each within a time budget.
/// </summary>
public sealed class DecoderRobustnessTests
{
    private static readonly string[] Seeds =
    [
        TestGifs.Real.Muybridge, TestGifs.Disposal.Mixed, TestGifs.Disposal.RestorePrevious,
        TestGifs.Interlace.Photo, TestGifs.Interlace.SmallFrame, TestGifs.Transparency.Index,
        TestGifs.Geometry.FrameOutOfBounds, TestGifs.Malformed.Truncated,
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decode_MutatedFixtures_DecodeOrThrowGifFormatException(bool lenient)
    {
        var rng = new Random(lenient ? 11 : 12);
        // Small limits keep mutated headers (huge canvases, many frames) cheap; they are part of what is tested.
        var options = new GifDecoderOptions { Lenient = lenient, MaxCanvasPixels = 4_000_000, MaxDecodedBytes = 256L << 20 };
        var decoded = 0;
        var rejected = 0;
        foreach (var seed in Seeds)
        {
            var original = TestGifs.Read(seed);
            for (var i = 0; i < 150; i++)
            {
                var data = Mutate(original, rng);
                var sw = Stopwatch.StartNew();
                try
                {
                    var seq = GifDecoder.Decode(data, options);
                    Assert.True(seq.FrameCount > 0);
                    foreach (var f in seq.Frames) Assert.Equal(seq.FrameByteCount, f.Rgba.Length);
                    decoded++;
                }
                catch (GifFormatException e)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                    Assert.True(Enum.IsDefined(e.Kind));
                    rejected++;
                }
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"{seed} mutation {i} took {sw.Elapsed}");
            }
        }
        Assert.True(decoded > 0 && rejected > 0, $"decoded {decoded}, rejected {rejected}");
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var data = (byte[])original.Clone();
        switch (rng.Next(5))
        {
            case 0: // flip a few bits anywhere
                for (var k = rng.Next(1, 8); k > 0; k--) data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8));
                return data;
            case 1: // overwrite header/descriptor bytes with extremes
                for (var k = rng.Next(1, 4); k > 0; k--) data[rng.Next(Math.Min(data.Length, 64))] = rng.Next(2) == 0 ? (byte)0 : (byte)0xFF;
                return data;
            case 2: // truncate
                return data[..rng.Next(data.Length)];
            case 3: // splice random garbage into the middle
            {
                var at = rng.Next(data.Length);
                var junk = new byte[rng.Next(1, 40)];
                rng.NextBytes(junk);
                return [.. data[..at], .. junk, .. data[at..]];
            }
            default: // random bytes after a valid header
            {
                var tail = new byte[rng.Next(0, 300)];
                rng.NextBytes(tail);
                return [.. data[..Math.Min(13, data.Length)], .. tail];
            }
        }
    }
}
