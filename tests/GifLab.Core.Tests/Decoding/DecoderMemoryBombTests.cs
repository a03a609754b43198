using GifLab.Core.Decoding;

namespace GifLab.Core.Tests.Decoding;

/// <summary>
/// Issue #19 item 7: a few kilobytes declaring 300 frames of 8192² (75 GiB decoded) used to allocate ~2.4 GB of
/// canvases, frame by frame, before <see cref="GifErrorKind.LimitExceeded"/>. The decoder now counts the image
/// descriptors from the block structure first and fails before allocating any frame.
/// </summary>
public class DecoderMemoryBombTests
{
    /// <summary>A <paramref name="size"/>² canvas with <paramref name="frames"/> 1×1 images (a few bytes each).</summary>
    internal static byte[] Bomb(int size = 8192, int frames = 300)
    {
        var gif = new RawGif(size, size, [(0, 0, 0), (255, 255, 255)]);
        for (var i = 0; i < frames; i++) gif.Control(delayCs: 1).Image(0, 0, 1, 1, [1]);
        return gif.Build();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FramesDeclaredBeyondTheLimit_FailBeforeAnyFrameIsAllocated(bool lenient)
    {
        var bytes = Bomb();
        Assert.True(bytes.Length < 16 * 1024, $"{bytes.Length} bytes");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<GifFormatException>(() => GifDecoder.Decode(bytes, GifDecoderOptions.Default with { Lenient = lenient }));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(GifErrorKind.LimitExceeded, e.Kind);
        Assert.Contains("found before decoding", e.Message);
        Assert.True(allocated < 16L << 20, $"allocated {allocated:N0} bytes before LimitExceeded");
    }

    [Fact]
    public void MaxFrames_IsAlsoCheckedBeforeDecoding()
    {
        var bytes = Bomb(size: 4, frames: 30);
        var e = Assert.Throws<GifFormatException>(() => GifDecoder.Decode(bytes, GifDecoderOptions.Default with { MaxFrames = 20 }));
        Assert.Equal(GifErrorKind.LimitExceeded, e.Kind);
        Assert.Contains("MaxFrames", e.Message);
        Assert.Equal(20, GifDecoder.Decode(Bomb(size: 4, frames: 20), GifDecoderOptions.Default with { MaxFrames = 20 }).FrameCount);
    }

    [Fact]
    public void AtTheLimit_StillDecodes()
    {
        // 64×64 canvas = 16 KiB per frame: 8 frames fit a 128 KiB limit exactly, 9 do not.
        var options = GifDecoderOptions.Default with { MaxDecodedBytes = 8 * 64 * 64 * 4 };
        Assert.Equal(8, GifDecoder.Decode(Bomb(size: 64, frames: 8), options).FrameCount);
        Assert.Equal(GifErrorKind.LimitExceeded, Assert.Throws<GifFormatException>(() => GifDecoder.Decode(Bomb(size: 64, frames: 9), options)).Kind);
    }
}
