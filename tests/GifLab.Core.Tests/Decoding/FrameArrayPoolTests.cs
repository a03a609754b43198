using GifLab.Core.Decoding;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Decoding;

/// <summary>Decoding into <see cref="FrameArrayPool"/> arrays: same pixels as fresh arrays, arrays reused, cap kept.</summary>
public sealed class FrameArrayPoolTests
{
    private static readonly (byte R, byte G, byte B)[] Rgbw = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)];

    // Three frames, the second repeating the first (one shared array), on a 2×2 canvas.
    private static byte[] Animated(byte first, byte last) => new RawGif(2, 2, Rgbw)
        .Control(disposal: 1).Image(0, 0, 2, 2, [first, first, first, first])
        .Control(disposal: 1).Image(0, 0, 1, 1, [first])
        .Control(disposal: 1).Image(1, 1, 1, 1, [last]).Build();

    private static GifDecoderOptions With(FrameArrayPool pool) => GifDecoderOptions.Default with { FramePool = pool };

    [Fact]
    public void Decode_IntoReturnedArrays_GivesTheSamePixelsAsFreshArrays()
    {
        var pool = new FrameArrayPool(1 << 20);
        var a = GifDecoder.Decode(Animated(0, 1), With(pool));
        var arraysOfA = a.Frames.Select(f => f.Rgba).Distinct(ReferenceEqualityComparer.Instance).ToList();
        Assert.Equal(2, arraysOfA.Count);
        pool.Return(a);
        Assert.Equal(2 * 2 * 2 * 4, pool.PooledBytes); // two distinct 16-byte arrays, the shared one returned once

        var fromPool = GifDecoder.Decode(Animated(2, 3), With(pool));
        var fresh = GifDecoder.Decode(Animated(2, 3));
        Assert.Equal(0, pool.PooledBytes);
        for (int f = 0; f < fresh.FrameCount; f++)
        {
            Assert.Equal(fresh.Frames[f].Rgba, fromPool.Frames[f].Rgba);
            Assert.Contains(fromPool.Frames[f].Rgba, arraysOfA); // reused, not allocated
        }
    }

    [Fact]
    public void Return_BeyondTheCap_KeepsNothingMore()
    {
        var pool = new FrameArrayPool(20); // room for one 16-byte frame array
        pool.Return(GifDecoder.Decode(Animated(0, 1)));
        Assert.Equal(16, pool.PooledBytes);
        var next = GifDecoder.Decode(Animated(0, 1), With(pool));
        Assert.Equal(0, pool.PooledBytes);
        Assert.Equal(GifDecoder.Decode(Animated(0, 1)).Frames[2].Rgba, next.Frames[2].Rgba);
    }

    [Fact]
    public void Decode_CanvasOfAnotherSize_DoesNotTakeArraysOfTheWrongLength()
    {
        var pool = new FrameArrayPool(1 << 20);
        pool.Return(GifDecoder.Decode(Animated(0, 1)));
        var bigger = new RawGif(3, 1, Rgbw).Image(0, 0, 3, 1, [0, 1, 2]).Build();
        var seq = GifDecoder.Decode(bigger, With(pool));
        Assert.Equal(12, seq.Frames[0].Rgba.Length);
        Assert.Equal(32, pool.PooledBytes);
    }

    [Fact]
    public void Return_WhenFull_DropsArraysOfTheLengthUsedLeastRecently()
    {
        var pool = new FrameArrayPool(2 * 16); // two 2×2 frame arrays
        pool.Return(GifDecoder.Decode(Animated(0, 1))); // two 16-byte arrays: full
        var wide = new RawGif(3, 1, Rgbw).Image(0, 0, 3, 1, [0, 1, 2]).Build();
        var next = GifDecoder.Decode(wide);
        pool.Return(next); // a 12-byte array: one 16-byte array makes room
        Assert.Equal(16 + 12, pool.PooledBytes);
        var again = GifDecoder.Decode(wide, With(pool));
        Assert.Same(next.Frames[0].Rgba, again.Frames[0].Rgba);
        Assert.Equal(16, pool.PooledBytes);
    }
}
