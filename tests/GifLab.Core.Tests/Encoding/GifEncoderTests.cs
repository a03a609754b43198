using System.Buffers;
using GifLab.Core.Decoding;
using GifLab.Core.Encoding;

namespace GifLab.Core.Tests.Encoding;

public sealed class GifEncoderTests
{
    private static byte[] RandomFrame(Random rng, int width, int height, int colors, bool withTransparency)
    {
        var palette = new byte[colors][];
        for (var i = 0; i < colors; i++) palette[i] = [(byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)];
        var rgba = new byte[width * height * 4];
        for (var p = 0; p < width * height; p++)
        {
            if (withTransparency && rng.Next(5) == 0) continue; // (0,0,0,0)
            var c = palette[rng.Next(colors)];
            rgba[p * 4] = c[0];
            rgba[p * 4 + 1] = c[1];
            rgba[p * 4 + 2] = c[2];
            rgba[p * 4 + 3] = 255;
        }
        return rgba;
    }

    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(7, 5, 2, false)]
    [InlineData(64, 48, 200, true)]
    [InlineData(100, 30, 256, false)]
    [InlineData(33, 17, 255, true)]
    public void Encode_ThenDecode_IsPixelExactForUpTo256Colours(int width, int height, int colors, bool transparency)
    {
        var rng = new Random(width * 1000 + colors);
        var frames = Enumerable.Range(0, 3).Select(_ => RandomFrame(rng, width, height, colors, transparency)).ToArray();
        int[] delays = [0, 40, 1230];
        var gif = GifEncoder.Encode(width, height, frames, delays, loopCount: 5);

        var seq = GifDecoder.Decode(gif, new GifDecoderOptions { Lenient = false });
        Assert.Equal(width, seq.Width);
        Assert.Equal(height, seq.Height);
        Assert.Equal(3, seq.FrameCount);
        Assert.Equal(5, seq.Info.LoopCount);
        Assert.Empty(seq.Info.Warnings);
        for (var f = 0; f < 3; f++)
        {
            Assert.Equal(delays[f], seq.Frames[f].DelayMs);
            Assert.Equal(frames[f], seq.Frames[f].Rgba);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65535)]
    public void Encode_LoopCount_RoundTrips(int loopCount)
    {
        var gif = GifEncoder.Encode(1, 1, [new byte[] { 1, 2, 3, 255 }], loopCount: loopCount);
        Assert.Equal(loopCount, GifDecoder.Decode(gif).Info.LoopCount);
    }

    [Fact]
    public void Encode_AlphaBelow128_BecomesTransparent_OtherAlphaOpaque()
    {
        byte[] frame = [10, 20, 30, 127, 40, 50, 60, 128];
        var seq = GifDecoder.Decode(GifEncoder.Encode(2, 1, [frame]));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 40, 50, 60, 255 }, seq.Frames[0].Rgba);
        Assert.Equal(1, seq.Frames[0].TransparentIndex);
    }

    [Fact]
    public void Encode_MoreThan256Colours_QuantisesToFixedCube()
    {
        // 32×32 frame with 1024 distinct colours: expected pixels computed from the documented cube rule.
        var frame = new byte[32 * 32 * 4];
        for (var p = 0; p < 1024; p++)
        {
            frame[p * 4] = (byte)(p & 0xFF);
            frame[p * 4 + 1] = (byte)(p >> 2);
            frame[p * 4 + 2] = (byte)(255 - (p & 0xFF));
            frame[p * 4 + 3] = 255;
        }
        var seq = GifDecoder.Decode(GifEncoder.Encode(32, 32, [frame]));
        var rgba = seq.Frames[0].Rgba;
        for (var i = 0; i < rgba.Length; i++)
        {
            var expected = (i & 3) == 3 ? 255 : (frame[i] + 25) / 51 * 51;
            Assert.Equal(expected, rgba[i]);
        }
    }

    [Fact]
    public void Encode_DecodedSequence_ReEncodesPixelExact()
    {
        var original = GifDecoder.Decode(TestGifs.Read(TestGifs.Real.Muybridge));
        var again = GifDecoder.Decode(GifEncoder.Encode(original));
        Assert.Equal(original.FrameCount, again.FrameCount);
        Assert.Equal(original.Info.LoopCount, again.Info.LoopCount);
        for (var f = 0; f < original.FrameCount; f++)
        {
            Assert.Equal(original.Frames[f].DelayMs, again.Frames[f].DelayMs);
            Assert.Equal(original.Frames[f].Rgba, again.Frames[f].Rgba);
        }
    }

    [Fact]
    public void Encode_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GifEncoder.Encode(0, 1, [new byte[0]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => GifEncoder.Encode(1, 1, []));
        Assert.Throws<ArgumentException>(() => GifEncoder.Encode(2, 2, [new byte[4]]));
        Assert.Throws<ArgumentException>(() => GifEncoder.Encode(1, 1, [new byte[4]], [10, 20]));
        Assert.Throws<ArgumentOutOfRangeException>(() => GifEncoder.Encode(1, 1, [new byte[4]], loopCount: -2));
    }

    /// <summary>
    /// Property: LzwEncoder → LzwDecoder is the identity, over 300 seeded random cases covering every minimum code
    /// size 2–8, lengths 0–40 000, low- and high-entropy data (long runs fill the 4096-code table and force
    /// clears), and decoding in random-sized output chunks (the decoder's resumable path).
    /// </summary>
    [Fact]
    public void Lzw_EncodeThenDecode_IsIdentity_RandomCases()
    {
        var rng = new Random(20261124);
        using var decoder = new LzwDecoder();
        for (var iteration = 0; iteration < 300; iteration++)
        {
            var minCodeSize = rng.Next(2, 9);
            var length = iteration switch { 0 => 0, 1 => 1, _ => rng.Next(0, 40_000) };
            var alphabet = 1 << rng.Next(1, minCodeSize + 1);
            var runBias = rng.NextDouble();
            var data = new byte[length];
            for (var i = 0; i < length; i++)
                data[i] = i > 0 && rng.NextDouble() < runBias ? data[i - 1] : (byte)rng.Next(alphabet);

            var writer = new ArrayBufferWriter<byte>();
            LzwEncoder.Encode(data, minCodeSize, writer);
            var compressed = writer.WrittenSpan.ToArray();

            decoder.Reset(minCodeSize);
            var output = new byte[length];
            var pos = 0;
            while (pos < length)
            {
                var chunk = Math.Min(length - pos, rng.Next(1, 5000));
                var got = decoder.Read(compressed, output.AsSpan(pos, chunk));
                pos += got;
                if (got < chunk) break;
            }
            Assert.True(pos == length, $"case {iteration}: decoded {pos} of {length} (min code size {minCodeSize}, status {decoder.Status})");
            Assert.Equal(data, output);
            // Reading on must hit the end-of-information code exactly.
            Assert.Equal(0, decoder.Read(compressed, new byte[1]));
            Assert.Equal(LzwStatus.EndOfInformation, decoder.Status);
        }
    }
}
