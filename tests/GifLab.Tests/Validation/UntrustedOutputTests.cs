using GifLab.Core.Decoding;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Tests.Engines;
using GifLab.Validation;

namespace GifLab.Tests.Validation;

/// <summary>
/// Issue #19 item 6: an engine output is untrusted. Data after the trailer is rejected (it used to be stored as
/// valid, its padding counted in the size), a missing trailer (a truncated write) is corrupted, and an output over the
/// cap is judged by its size without being read.
/// </summary>
public class UntrustedOutputTests
{
    private static byte[] RedBlue => File.ReadAllBytes(TestEnvironment.TestData("animated-red-blue.gif"));
    private static readonly OutputExpectation RedBlueExpectation = new(64, 48, [100, 200, 300, 400], 2, null);

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public void TrailingDataAfterTheTrailer_IsCorrupted(int junk)
    {
        var bytes = RedBlue.Concat(new byte[junk]).ToArray();
        var r = OutputValidator.Validate(bytes, RedBlueExpectation, out var decoded);
        Assert.Equal(ValidationStatus.Corrupted, r.Status);
        Assert.Contains("trailing data after the GIF trailer", r.Reason);
        Assert.Equal((long)junk, r.Checks["trailing_bytes"]);
        Assert.Null(decoded);
    }

    [Fact]
    public void MissingTrailer_TruncatedWrite_IsCorrupted()
    {
        var bytes = RedBlue[..^1]; // everything but the ';'
        Assert.Equal(ValidationStatus.Corrupted, OutputValidator.Validate(bytes, RedBlueExpectation).Status);
    }

    [Fact]
    public void DecoderReportsTrailingBytes()
    {
        Assert.Equal(0, GifDecoder.Decode(RedBlue).Info.TrailingBytes);
        Assert.Equal(7, GifDecoder.Decode(RedBlue.Concat(new byte[7]).ToArray()).Info.TrailingBytes);
    }

    [Fact]
    public void OutputOverTheCap_IsCorruptedBySize_NotRead()
    {
        var dir = Directory.CreateTempSubdirectory("giflab-cap-").FullName;
        try
        {
            var path = Path.Combine(dir, "out.gif");
            using (var f = File.Create(path))
            {
                f.Write(RedBlue);
                f.SetLength(RedBlue.Length + (64L << 20)); // sparse: 64 MiB of zeros after the GIF
            }
            var before = GC.GetAllocatedBytesForCurrentThread();
            var r = OutputValidator.ValidateFile(path, RedBlueExpectation, maxBytes: 1 << 20, out var bytes, out _);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(ValidationStatus.Corrupted, r.Status);
            Assert.Contains("over the cap", r.Reason);
            Assert.Null(bytes);
            Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes: the output was read");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Cap_BoundsOutputsByTheSourcePixels_AndNeverExceedsOneGiB()
    {
        var frames = GifDecoder.Decode(RedBlue);
        var small = new SourceGif("x.gif", "0", RedBlue.Length, frames);
        var cap = OutputLimits.MaxBytes(small);
        Assert.Equal(2L * 64 * 48 * 4 + 2 * RedBlue.Length + (1 << 20), cap);
        Assert.True(cap > 10L * RedBlue.Length); // an output bigger than the input is still read and judged
        var huge = new SourceGif("x.gif", "0", 512L << 20, frames);
        Assert.True(OutputLimits.MaxBytes(huge) <= OutputLimits.AbsoluteMaxBytes);
    }
}
