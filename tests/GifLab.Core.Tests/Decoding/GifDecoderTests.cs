using GifLab.Core.Decoding;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Decoding;

/// <summary>
/// Decoder behaviour on hand-built GIFs (<see cref="RawGif"/>) whose expected pixels are worked out by hand from
/// GIF89a §20–§23, plus a few committed fixtures.
/// </summary>
public sealed class GifDecoderTests
{
    private static readonly (byte R, byte G, byte B)[] Rgbw = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)];
    private const uint Red = 0xFF0000FF, Green = 0xFF00FF00, Blue = 0xFFFF0000, White = 0xFFFFFFFF, Clear = 0, Black = 0xFF000000;

    /// <summary>Pixel (x, y) of frame <paramref name="f"/> as R | G&lt;&lt;8 | B&lt;&lt;16 | A&lt;&lt;24.</summary>
    private static uint Px(FrameSequence seq, int f, int x, int y) =>
        BitConverter.ToUInt32(seq.Frames[f].Rgba, (y * seq.Width + x) * 4);

    private static uint[] Pixels(FrameSequence seq, int f)
    {
        var result = new uint[seq.Width * seq.Height];
        for (var i = 0; i < result.Length; i++) result[i] = BitConverter.ToUInt32(seq.Frames[f].Rgba, i * 4);
        return result;
    }

    [Fact]
    public void Decode_SingleFrame_MapsIndicesThroughGlobalPalette()
    {
        var gif = new RawGif(2, 2, Rgbw).Image(0, 0, 2, 2, [0, 1, 2, 3]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(2, seq.Width);
        Assert.Equal(1, seq.FrameCount);
        Assert.Equal([Red, Green, Blue, White], Pixels(seq, 0));
        Assert.Equal(-1, seq.Info.LoopCount);
        Assert.Equal(4, seq.Info.GlobalPaletteSize);
        Assert.Empty(seq.Info.Warnings);
    }

    [Fact]
    public void Decode_DoNotDispose_KeepsPreviousFrameUnderSubFrame()
    {
        var gif = new RawGif(2, 2, Rgbw).Loop(0)
            .Control(disposal: 1, delayCs: 7).Image(0, 0, 2, 2, [0, 0, 0, 0])
            .Control(disposal: 1, delayCs: 12).Image(1, 1, 1, 1, [2]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal([Red, Red, Red, Red], Pixels(seq, 0));
        Assert.Equal([Red, Red, Red, Blue], Pixels(seq, 1));
        Assert.Equal(70, seq.Frames[0].DelayMs);
        Assert.Equal(120, seq.Frames[1].DelayMs);
        Assert.Equal(0, seq.Info.LoopCount);
        Assert.Equal(DisposalMethod.DoNotDispose, seq.Frames[1].Disposal);
        Assert.Equal(new FrameRect(1, 1, 1, 1), seq.Frames[1].Rect);
    }

    [Fact]
    public void Decode_RestoreToBackground_ClearsRectToTransparentBeforeNextFrame()
    {
        var gif = new RawGif(2, 2, Rgbw)
            .Control(disposal: 1).Image(0, 0, 2, 2, [3, 3, 3, 3])
            .Control(disposal: 2).Image(0, 0, 1, 1, [0])
            .Control(disposal: 1).Image(1, 1, 1, 1, [2]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal([Red, White, White, White], Pixels(seq, 1)); // frame shown before its disposal
        Assert.Equal([Clear, White, White, Blue], Pixels(seq, 2));
    }

    [Fact]
    public void Decode_RestoreToPrevious_RestoresCanvasFirst()
    {
        var gif = new RawGif(2, 2, Rgbw)
            .Control(disposal: 1).Image(0, 0, 2, 2, [0, 0, 0, 0])
            .Control(disposal: 3).Image(0, 0, 1, 1, [2])
            .Control(disposal: 1).Image(1, 1, 1, 1, [1]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal([Blue, Red, Red, Red], Pixels(seq, 1));
        Assert.Equal([Red, Red, Red, Green], Pixels(seq, 2));
    }

    [Fact]
    public void Decode_RestoreToPreviousOnFirstFrame_RestoresTransparentCanvas()
    {
        var gif = new RawGif(2, 1, Rgbw)
            .Control(disposal: 3).Image(0, 0, 2, 1, [0, 1])
            .Control(disposal: 1).Image(1, 0, 1, 1, [2]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal([Red, Green], Pixels(seq, 0));
        Assert.Equal([Clear, Blue], Pixels(seq, 1));
    }

    [Fact]
    public void Decode_TransparentIndex_LeavesCanvasUnchanged()
    {
        var gif = new RawGif(2, 2, Rgbw)
            .Control(disposal: 1).Image(0, 0, 2, 2, [0, 1, 2, 3])
            .Control(disposal: 1, transparent: 3).Image(0, 0, 2, 2, [3, 3, 3, 0]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal([Red, Green, Blue, Red], Pixels(seq, 1));
        Assert.Equal(3, seq.Frames[1].TransparentIndex);
        Assert.Equal(-1, seq.Frames[0].TransparentIndex);
        Assert.True(seq.Info.HasTransparency);
    }

    [Fact]
    public void Decode_TransparentFirstFrame_IsTransparentWhereIndexIsTransparent()
    {
        var gif = new RawGif(2, 1, Rgbw).Control(transparent: 0).Image(0, 0, 2, 1, [0, 3]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal([Clear, White], Pixels(seq, 0));
    }

    [Fact]
    public void Decode_Interlaced_PlacesRowsInAppendixEOrder()
    {
        // 1×8 image: stream order is rows 0, 4, 2, 6, 1, 3, 5, 7 (passes of 8/8/4/2, Appendix E).
        // Row r gets palette index r % 4, so stream indices are [0, 0, 2, 2, 1, 3, 1, 3].
        var gif = new RawGif(1, 8, Rgbw).Image(0, 0, 1, 8, [0, 0, 2, 2, 1, 3, 1, 3], interlaced: true).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal([Red, Green, Blue, White, Red, Green, Blue, White], Pixels(seq, 0));
        Assert.True(seq.Frames[0].Interlaced);
    }

    [Fact]
    public void Decode_InterlacedFrameTallerThanScreen_ClipsRowsFromEveryPass()
    {
        // 1×8 interlaced image on a 1×2 screen: row 0 is stream position 0 (pass 1), row 1 is position 4 (pass 4).
        var gif = new RawGif(1, 2, Rgbw).Image(0, 0, 1, 8, [0, 2, 2, 2, 1, 3, 3, 3], interlaced: true).Build();
        var seq = GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false });
        Assert.Equal([Red, Green], Pixels(seq, 0));
    }

    [Fact]
    public void Decode_LocalPalette_OverridesGlobalForThatFrameOnly()
    {
        (byte, byte, byte)[] local = [(0, 0, 0), (9, 9, 9)];
        var gif = new RawGif(1, 1, Rgbw)
            .Image(0, 0, 1, 1, [1], localPalette: local)
            .Image(0, 0, 1, 1, [1]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(0xFF090909u, Px(seq, 0, 0, 0));
        Assert.Equal(Green, Px(seq, 1, 0, 0));
        Assert.Equal(2, seq.Frames[0].LocalPaletteSize);
        Assert.Equal(0, seq.Frames[1].LocalPaletteSize);
        Assert.Equal(1, seq.Info.LocalPaletteFrames);
        Assert.Equal(2, seq.Info.MaxLocalPaletteSize);
    }

    [Fact]
    public void Decode_FramePartlyOutsideScreen_IsClippedToDeclaredScreen()
    {
        var gif = new RawGif(2, 2, Rgbw).Image(1, 1, 2, 2, [2, 1, 1, 1]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(2, seq.Width);
        Assert.Equal([Clear, Clear, Clear, Blue], Pixels(seq, 0));
        Assert.Equal(new FrameRect(1, 1, 2, 2), seq.Frames[0].Rect);
    }

    [Fact]
    public void Decode_FrameFullyOutsideScreen_KeepsFrameWithCanvasUnchanged()
    {
        var gif = new RawGif(2, 2, Rgbw).Image(0, 0, 2, 2, [0, 0, 0, 0]).Image(5, 5, 1, 1, [2]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(2, seq.FrameCount);
        Assert.Equal([Red, Red, Red, Red], Pixels(seq, 1));
    }

    [Fact]
    public void Decode_ZeroSizeFrame_ProducesFrameWithoutDrawing()
    {
        var gif = new RawGif(1, 1, Rgbw).Image(0, 0, 1, 1, [3]).Image(0, 0, 0, 0, []).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(2, seq.FrameCount);
        Assert.Equal(White, Px(seq, 1, 0, 0));
    }

    [Fact]
    public void Decode_OutOfRangeIndex_LenientRendersBlackWithWarning()
    {
        var gif = TestGifs.Read(TestGifs.Pygif.InvalidColors);
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(Black, Px(seq, 0, 0, 0));
        Assert.Contains(seq.Info.Warnings, w => w.Contains("outside the 2-entry colour table"));
    }

    [Fact]
    public void Decode_OutOfRangeIndex_StrictModeRejects()
    {
        var gif = TestGifs.Read(TestGifs.Pygif.InvalidColors);
        var e = Assert.Throws<GifFormatException>(() => GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false }));
        Assert.Equal(GifErrorKind.InvalidColorIndex, e.Kind);
    }

    [Fact]
    public void Decode_HugeDeclaredCanvas_ThrowsLimitExceededWithoutAllocating()
    {
        var gif = TestGifs.Read(TestGifs.Pygif.MaxSize); // 65535×65535 = 17 GB of RGBA
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<GifFormatException>(() => GifDecoder.Decode(gif));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(GifErrorKind.LimitExceeded, e.Kind);
        Assert.Contains("MaxCanvasPixels", e.Message);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes before rejecting");
    }

    [Fact]
    public void Decode_HugeCanvasWithLimitsRaised_StillThrowsLimitExceeded()
    {
        // 65535×65535×4 bytes cannot be one .NET array, whatever the options say.
        var options = new GifDecoderOptions { MaxCanvasPixels = long.MaxValue, MaxDecodedBytes = long.MaxValue };
        var e = Assert.Throws<GifFormatException>(() => GifDecoder.Decode(TestGifs.Read(TestGifs.Pygif.MaxSize), options));
        Assert.Equal(GifErrorKind.LimitExceeded, e.Kind);
    }

    [Fact]
    public void Decode_MoreFramesThanMaxFrames_ThrowsLimitExceeded()
    {
        var gif = new RawGif(1, 1, Rgbw).Image(0, 0, 1, 1, [0]).Image(0, 0, 1, 1, [1]).Image(0, 0, 1, 1, [2]).Build();
        var e = Assert.Throws<GifFormatException>(() => GifDecoder.Decode(gif, new GifDecoderOptions { MaxFrames = 2 }));
        Assert.Equal(GifErrorKind.LimitExceeded, e.Kind);
        Assert.Contains("MaxFrames", e.Message);
    }

    [Fact]
    public void Decode_OutputOverMaxDecodedBytes_ThrowsLimitExceeded()
    {
        // 2×2 canvas = 16 bytes per frame; 3 frames need 48 bytes.
        var gif = new RawGif(2, 2, Rgbw).Image(0, 0, 1, 1, [0]).Image(0, 0, 1, 1, [1]).Image(0, 0, 1, 1, [2]).Build();
        Assert.Equal(3, GifDecoder.Decode(gif, new GifDecoderOptions { MaxDecodedBytes = 48 }).FrameCount);
        var e = Assert.Throws<GifFormatException>(() => GifDecoder.Decode(gif, new GifDecoderOptions { MaxDecodedBytes = 47 }));
        Assert.Equal(GifErrorKind.LimitExceeded, e.Kind);
    }

    [Fact]
    public void Decode_TruncatedInsideSecondFrame_LenientKeepsDecodedPartAndWarns()
    {
        var full = new RawGif(4, 1, Rgbw).Image(0, 0, 4, 1, [0, 0, 0, 0]).Image(0, 0, 4, 1, [2, 2, 2, 2]).Build();
        var cut = full[..^4]; // drop the trailer, the block terminator and the last LZW bytes
        var seq = GifDecoder.Decode(cut);
        Assert.Equal(2, seq.FrameCount);
        Assert.Equal([Red, Red, Red, Red], Pixels(seq, 0));
        Assert.Equal(Blue, Px(seq, 1, 0, 0)); // first pixels of the cut frame were decoded
        Assert.Contains(seq.Info.Warnings, w => w.Contains("Data ends inside frame 1"));
    }

    [Fact]
    public void Decode_TruncatedInsideSecondFrame_StrictThrowsTruncated()
    {
        var full = new RawGif(4, 1, Rgbw).Image(0, 0, 4, 1, [0, 0, 0, 0]).Image(0, 0, 4, 1, [2, 2, 2, 2]).Build();
        var e = Assert.Throws<GifFormatException>(() => GifDecoder.Decode(full[..^4], new GifDecoderOptions { Lenient = false }));
        Assert.Equal(GifErrorKind.Truncated, e.Kind);
        Assert.True(e.Offset > 0);
    }

    [Fact]
    public void Decode_MissingTrailer_LenientWarnsStrictThrows()
    {
        var gif = new RawGif(1, 1, Rgbw).Image(0, 0, 1, 1, [0]).Build(trailer: false);
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(1, seq.FrameCount);
        Assert.Contains(seq.Info.Warnings, w => w.Contains("trailer"));
        Assert.Equal(GifErrorKind.Truncated,
            Assert.Throws<GifFormatException>(() => GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false })).Kind);
    }

    [Fact]
    public void Decode_TruncatedRealPhoto_LenientKeepsPartialFrame()
    {
        var truncated = GifDecoder.Decode(TestGifs.Read(TestGifs.Malformed.Truncated));
        var regular = GifDecoder.Decode(TestGifs.Read(TestGifs.Interlace.Regular));
        Assert.Equal(1, truncated.FrameCount);
        Assert.NotEmpty(truncated.Info.Warnings);
        // Pass 1 (every 8th row from row 0) is complete in the first 1024 bytes: those rows match the full image.
        var rowBytes = regular.Width * 4;
        Assert.Equal(regular.Frames[0].Rgba.AsSpan(0, rowBytes).ToArray(), truncated.Frames[0].Rgba.AsSpan(0, rowBytes).ToArray());
        Assert.Throws<GifFormatException>(() =>
            GifDecoder.Decode(TestGifs.Read(TestGifs.Malformed.Truncated), new GifDecoderOptions { Lenient = false }));
    }

    [Fact]
    public void Decode_InterlacedPhoto_IsPixelIdenticalToRegularTwin()
    {
        // wuffs ships the two files as the same picture (test/data/README.md).
        var interlaced = GifDecoder.Decode(TestGifs.Read(TestGifs.Interlace.Photo));
        var regular = GifDecoder.Decode(TestGifs.Read(TestGifs.Interlace.Regular));
        Assert.True(interlaced.Frames[0].Interlaced);
        Assert.False(regular.Frames[0].Interlaced);
        Assert.Equal(regular.Frames[0].Rgba, interlaced.Frames[0].Rgba);
    }

    [Theory]
    [InlineData(TestGifs.Malformed.LzwOverflow)]
    [InlineData(TestGifs.Malformed.LzwCodeSizeTooLarge)]
    public void Decode_UndecodableFirstImage_ThrowsInvalidLzwInBothModes(string file)
    {
        var gif = TestGifs.Read(file);
        Assert.Equal(GifErrorKind.InvalidLzw, Assert.Throws<GifFormatException>(() => GifDecoder.Decode(gif)).Kind);
        Assert.Equal(GifErrorKind.InvalidLzw, Assert.Throws<GifFormatException>(
            () => GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false })).Kind);
    }

    [Fact]
    public void Decode_BadLzwCodeInLaterFrame_LenientKeepsFrameStrictThrows()
    {
        var good = new RawGif(2, 1, Rgbw).Image(0, 0, 2, 1, [0, 0]).Build(trailer: false);
        // Second image: min code size 2, codes (3 bits) clear=4 then 7 (not yet defined) → invalid.
        var gif = good.Concat(new byte[] { 0x2C, 0, 0, 0, 0, 2, 0, 1, 0, 0, 2, 1, 0b111_100, 0, 0x3B }).ToArray();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(2, seq.FrameCount);
        Assert.Equal([Red, Red], Pixels(seq, 1));
        Assert.Contains(seq.Info.Warnings, w => w.Contains("invalid LZW code"));
        Assert.Equal(GifErrorKind.InvalidLzw, Assert.Throws<GifFormatException>(
            () => GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false })).Kind);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { (byte)'G', (byte)'I' })]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 })]
    public void Decode_NotAGif_ThrowsNotAGif(byte[] data) =>
        Assert.Equal(GifErrorKind.NotAGif, Assert.Throws<GifFormatException>(() => GifDecoder.Decode(data)).Kind);

    [Fact]
    public void Decode_ZeroSizeCanvas_ThrowsInvalidLogicalScreen()
    {
        var gif = new RawGif(0, 0, Rgbw).Build();
        Assert.Equal(GifErrorKind.InvalidLogicalScreen, Assert.Throws<GifFormatException>(() => GifDecoder.Decode(gif)).Kind);
    }

    [Fact]
    public void Decode_NoImage_LenientGivesOneTransparentFrameStrictThrowsNoFrames()
    {
        var gif = new RawGif(3, 2, Rgbw).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(1, seq.FrameCount);
        Assert.All(Pixels(seq, 0), p => Assert.Equal(Clear, p));
        Assert.Equal(GifErrorKind.NoFrames, Assert.Throws<GifFormatException>(
            () => GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false })).Kind);
    }

    [Fact]
    public void Decode_DataAfterTrailer_IsIgnoredWithWarning()
    {
        var gif = new RawGif(1, 1, Rgbw).Image(0, 0, 1, 1, [1]).Build().Concat("junk"u8.ToArray()).ToArray();
        var seq = GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false });
        Assert.Equal(Green, Px(seq, 0, 0, 0));
        Assert.Contains(seq.Info.Warnings, w => w.Contains("after the trailer"));
    }

    [Fact]
    public void Decode_MissingEoi_DecodesAllPixels()
    {
        var gif = TestGifs.Read("pygif-test-suite/malformed/no-eoi.gif");
        Assert.Equal(White, Px(GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false }), 0, 0, 0));
    }

    [Fact]
    public void Decode_MultipleLoopCounts_KeepsLastAndWarns()
    {
        // gifsicle --info says "loop count 40"; wuffs' test wants 41 plays (= 40 repeats) after a full decode.
        var seq = GifDecoder.Decode(TestGifs.Read(TestGifs.Geometry.MultipleLoopCounts));
        Assert.Equal(40, seq.Info.LoopCount);
        Assert.Contains(seq.Info.Warnings, w => w.Contains("loop counts"));
    }

    [Fact]
    public void Decode_RealAnimation_ReportsLoopCountAndFrames()
    {
        var seq = GifDecoder.Decode(TestGifs.Read(TestGifs.Real.AnimatedLoop3));
        // NETSCAPE2.0 stores 2 (= 2 repeats, 3 plays; sharp names the file after the plays). gifsicle: "loop count 2".
        Assert.Equal(2, seq.Info.LoopCount);
        Assert.Equal(10, seq.FrameCount);
        Assert.True(seq.Info.HasTransparency);
    }

    [Fact]
    public void Decode_FrameThatLeavesTheCanvasUnchanged_SharesThePreviousFramesArray()
    {
        // Frame 1 redraws pixel (0,0) red (no change); frame 2 is fully transparent (no change); frame 3 clears (0,0)
        // by its disposal and frame 4 paints it red again: unchanged against frame 3. Frame 5 changes a pixel.
        var gif = new RawGif(2, 2, Rgbw)
            .Control(disposal: 1).Image(0, 0, 2, 2, [0, 1, 2, 3])
            .Control(disposal: 1).Image(0, 0, 1, 1, [0])
            .Control(disposal: 1, transparent: 3).Image(0, 0, 2, 2, [3, 3, 3, 3])
            .Control(disposal: 2).Image(0, 0, 1, 1, [0])
            .Control(disposal: 1).Image(0, 0, 1, 1, [0])
            .Control(disposal: 1).Image(1, 1, 1, 1, [0]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Equal(6, seq.FrameCount);
        Assert.Same(seq.Frames[0].Rgba, seq.Frames[1].Rgba);
        Assert.Same(seq.Frames[1].Rgba, seq.Frames[2].Rgba);
        Assert.Same(seq.Frames[2].Rgba, seq.Frames[3].Rgba);
        Assert.Same(seq.Frames[3].Rgba, seq.Frames[4].Rgba); // disposal cleared (0,0), the frame repainted it red
        Assert.NotSame(seq.Frames[4].Rgba, seq.Frames[5].Rgba);
        Assert.Equal([Red, Green, Blue, White], Pixels(seq, 4));
        Assert.Equal([Red, Green, Blue, Red], Pixels(seq, 5));
        Assert.Equal(5, seq.RunStarts[5]);
        Assert.Equal(0, seq.RunStarts[4]);
        Assert.Equal(2, seq.DistinctFrameCount);
    }

    [Fact]
    public void Decode_DisposalThatChangesTheCanvas_GivesANewArray()
    {
        // Frame 1's disposal (restore to background) clears its rectangle before frame 2, which draws elsewhere.
        var gif = new RawGif(2, 2, Rgbw)
            .Control(disposal: 1).Image(0, 0, 2, 2, [0, 0, 0, 0])
            .Control(disposal: 2).Image(0, 0, 1, 1, [0])
            .Control(disposal: 1).Image(1, 1, 1, 1, [0]).Build();
        var seq = GifDecoder.Decode(gif);
        Assert.Same(seq.Frames[0].Rgba, seq.Frames[1].Rgba);
        Assert.NotSame(seq.Frames[1].Rgba, seq.Frames[2].Rgba);
        Assert.Equal([Clear, Red, Red, Red], Pixels(seq, 2));
        Assert.Equal([Red, Red, Red, Red], Pixels(seq, 1));
    }
}
