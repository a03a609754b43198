using GifLab.Core.Decoding;

namespace GifLab.Core.Tests.Decoding;

public class GifWorkEstimateTests
{
    /// <summary>Well-formed GIFs: canvas × frames from the block walk equals what the decoder produces.</summary>
    [Theory]
    [InlineData(TestGifs.Disposal.None)]
    [InlineData(TestGifs.Disposal.RestorePreviousFirstFrame)]
    [InlineData(TestGifs.Disposal.Mixed)]
    [InlineData(TestGifs.Disposal.BackgroundWithTransparency)]
    public void PixelFrames_MatchesTheDecoder(string gif)
    {
        var decoded = GifDecoder.Decode(TestGifs.Read(gif));
        long expected = (long)decoded.Width * decoded.Height * decoded.FrameCount;
        Assert.Equal(expected, GifWorkEstimate.PixelFrames(TestGifs.Path(gif)));
        // Not seekable: the same walk reads and discards instead of seeking.
        using var pipe = new NonSeekable(TestGifs.Read(gif));
        Assert.Equal(expected, GifWorkEstimate.PixelFrames(pipe));
    }

    [Fact]
    public void PixelFrames_IsZeroForWhatIsNoGif()
    {
        var path = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a gif at all");
            Assert.Equal(0, GifWorkEstimate.PixelFrames(path));
            Assert.Equal(0, GifWorkEstimate.PixelFrames(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task PixelFrames_DoesNotOpenAFifo()
    {
        var dir = Directory.CreateTempSubdirectory("giflab-fifo-");
        try
        {
            var fifo = System.IO.Path.Combine(dir.FullName, "pipe.gif");
            using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
            Assert.True(File.Exists(fifo));
            var estimate = Task.Run(() => GifWorkEstimate.PixelFrames(fifo));
            Assert.Same(estimate, await Task.WhenAny(estimate, Task.Delay(TimeSpan.FromSeconds(10))));
            Assert.Equal(0, await estimate);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void PixelFrames_CountsTheFramesBeforeATruncation()
    {
        var bytes = TestGifs.Read(TestGifs.Disposal.None);
        var decoded = GifDecoder.Decode(bytes);
        using var cut = new MemoryStream(bytes[..(bytes.Length / 2)]);
        long estimate = GifWorkEstimate.PixelFrames(cut);
        Assert.InRange(estimate, 0, (long)decoded.Width * decoded.Height * (decoded.FrameCount - 1));
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
