using GifLab.Core.Decoding;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Tests.Engines;
using GifLab.Validation;

namespace GifLab.Tests.Validation;

public class OutputValidatorTests
{
    private static byte[] RedBlue => File.ReadAllBytes(TestEnvironment.TestData("animated-red-blue.gif"));

    // animated-red-blue.gif per gifsicle --info: 64×48, 4 frames of 0.10/0.20/0.30/0.40 s, loop count 2.
    private static readonly OutputExpectation RedBlueExpectation = new(64, 48, [100, 200, 300, 400], 2, null);

    [Fact]
    public void OriginalFile_AgainstItsOwnFacts_IsValidAndEveryCheckPasses()
    {
        var r = OutputValidator.Validate(RedBlue, RedBlueExpectation, out var decoded);
        Assert.Equal(ValidationStatus.Valid, r.Status);
        Assert.Equal(4, decoded!.FrameCount);
        Assert.True(r.AllChecksPassed);
        Assert.Equal("valid", r.StatusName);
        Assert.Equal(4, r.Checks["frame_count"]);
        Assert.Equal(1000, r.Checks["duration_ms"]);
        Assert.Equal(2, r.Checks["loop_count"]);
    }

    [Fact]
    public void Mismatches_AreRecordedAsFailedChecks_NotAsCorruption()
    {
        var r = OutputValidator.Validate(RedBlue, new OutputExpectation(64, 48, [100, 200, 300, 400, 100], -1, 2));
        Assert.Equal(ValidationStatus.Valid, r.Status);
        Assert.False(r.AllChecksPassed);
        Assert.Equal(false, r.Checks["frame_count_ok"]);
        Assert.Equal(false, r.Checks["duration_ok"]);
        Assert.Equal(false, r.Checks["loop_count_ok"]);
        Assert.Equal(false, r.Checks["colors_ok"]);
        Assert.Equal(false, r.Checks["timeline_ok"]);
        Assert.False(r.Checks.ContainsKey("delays_ok")); // not comparable when frame counts differ
    }

    [Fact]
    public void MergedIdenticalFrames_KeepTheTimeline()
    {
        // The real file has 4 frames of 100/200/300/400 ms; expecting 5 frames where 300 = 100 + 200 (merged) fits.
        var r = OutputValidator.Validate(RedBlue, RedBlueExpectation with { DelaysMs = [100, 100, 100, 300, 400] });
        Assert.Equal(false, r.Checks["frame_count_ok"]);
        Assert.Equal(true, r.Checks["timeline_ok"]);
        Assert.Equal(1, r.Checks["frames_merged"]);
        var shifted = OutputValidator.Validate(RedBlue, RedBlueExpectation with { DelaysMs = [150, 150, 300, 400] });
        Assert.Equal(false, shifted.Checks["timeline_ok"]);
    }

    [Fact]
    public void Corrupted_Empty_WrongMagic_Truncated_WrongCanvas()
    {
        Assert.Equal(ValidationStatus.Corrupted, OutputValidator.Validate([], RedBlueExpectation).Status);
        Assert.Equal(ValidationStatus.Corrupted, OutputValidator.Validate("PNG-not-a-gif"u8, RedBlueExpectation).Status);
        var header = RedBlue.AsSpan(0, 13).ToArray();
        var r = OutputValidator.Validate(header, RedBlueExpectation);
        Assert.Equal(ValidationStatus.Corrupted, r.Status);
        Assert.True(r.Checks.ContainsKey("decode_error"));
        var truncated = RedBlue.AsSpan(0, RedBlue.Length / 2).ToArray();
        Assert.Equal(ValidationStatus.Corrupted, OutputValidator.Validate(truncated, RedBlueExpectation).Status);
        var resized = OutputValidator.Validate(RedBlue, RedBlueExpectation with { Width = 65 });
        Assert.Equal(ValidationStatus.Corrupted, resized.Status);
        Assert.Contains("canvas", resized.Reason);
    }

    [Fact]
    public void Error_FromToolFailure_CarriesTheReason()
    {
        var e = new ToolFailedException("gifsicle-lossy", ToolFailureReason.Timeout, null, new ToolInvocation("gifsicle", ["x"]), "");
        var r = OutputValidator.Error(e);
        Assert.Equal(ValidationStatus.Error, r.Status);
        Assert.Equal("error", r.StatusName);
        Assert.Equal("timeout", r.Checks["error_type"]);
        Assert.False(r.AllChecksPassed);
    }

    [Fact]
    public void Expectation_ForPipeline_AppliesFrameReductionAndRequestedColours()
    {
        var source = GifDecoder.Decode(RedBlue);
        var e = OutputExpectation.For(new PipelineId("gifsicle-frame", "imagemagick-color", "ffmpeg-lossy"), new ParamPreset(50, 128, 0.5), source);
        Assert.Equal([300, 700], e.DelaysMs);
        Assert.Equal(2, e.LoopCount);
        Assert.Equal(64, e.MaxColors); // min(128 requested, ffmpeg N at L=50 = 64)
        var noop = OutputExpectation.For(new PipelineId("none-frame", "none-color", "none-lossy"), new ParamPreset(50, 128, 0.5), source);
        Assert.Equal([100, 200, 300, 400], noop.DelaysMs);
        Assert.Null(noop.MaxColors);
    }

    [Fact]
    public void MaxDistinctColors_CountsVisiblePixelsPerFrame()
    {
        var seq = TestEnvironment.Synthetic(4, 1, [100], 0);
        Assert.Equal(4, OutputValidator.MaxDistinctColors(seq)); // blue ramp over 4 columns
    }

    [Fact]
    public void MaxDistinctColors_EqualsAHashSetCount_AcrossFramesAndRepeats()
    {
        // Independent count: a HashSet of the visible RGB triples of each frame. Frame 0 has many colours, frame 1
        // (fewer, some shared) checks that the bit set is fully cleared between frames, frame 2 repeats frame 1.
        var rng = new Random(3);
        var frames = new List<Frame>();
        int w = 300, h = 200;
        foreach (var palette in new[] { 1 << 20, 37, 37 })
        {
            var rgba = new byte[w * h * 4];
            var local = new Random(palette);
            for (int p = 0; p < w * h; p++)
            {
                int c = local.Next(palette) * 7919 % (1 << 24);
                rgba[4 * p] = (byte)(c >> 16); rgba[4 * p + 1] = (byte)(c >> 8); rgba[4 * p + 2] = (byte)c;
                rgba[4 * p + 3] = rng.Next(10) == 0 ? (byte)0 : (byte)255;
            }
            frames.Add(new Frame(rgba, 100, DisposalMethod.DoNotDispose, new FrameRect(0, 0, w, h)));
        }
        frames[2] = new Frame((byte[])frames[1].Rgba.Clone(), 100, DisposalMethod.DoNotDispose, new FrameRect(0, 0, w, h));
        var seq = new FrameSequence(w, h, frames, GifInfo.Synthetic);
        int expected = HashSetMax(frames);
        Assert.Equal(expected, OutputValidator.MaxDistinctColors(seq));
        // frames 1 and 2 alone (after frame 0 filled the set): a stale bit would inflate the count
        var small = new FrameSequence(w, h, [frames[1], frames[2]], GifInfo.Synthetic);
        Assert.True(OutputValidator.MaxDistinctColors(small) <= 37);
        Assert.Equal(OutputValidator.MaxDistinctColors(small), OutputValidator.MaxDistinctColors(new FrameSequence(w, h, [frames[1]], GifInfo.Synthetic)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxDistinctColors_EqualsAHashSetCount_WhenFramesChangeInBands(int seed)
    {
        // Frames that change only in a band of rows, with colours that appear and disappear: frames skipped by the
        // cover bound must never hide a frame with more colours (independent count: a HashSet per frame).
        var rng = new Random(seed);
        int w = 64, h = 48;
        var frames = new List<Frame>();
        var canvas = new byte[w * h * 4];
        for (int p = 0; p < w * h; p++) { canvas[4 * p] = (byte)(p % 5 * 40); canvas[4 * p + 3] = 255; }
        for (int f = 0; f < 40; f++)
        {
            var rgba = (byte[])canvas.Clone();
            int top = rng.Next(h), rows = rng.Next(1, 12), palette = rng.Next(1, 400);
            for (int y = top; y < Math.Min(h, top + rows); y++)
                for (int x = 0; x < w; x++)
                {
                    int p = y * w + x, c = rng.Next(palette) * 104729 % (1 << 24);
                    rgba[4 * p] = (byte)(c >> 16); rgba[4 * p + 1] = (byte)(c >> 8); rgba[4 * p + 2] = (byte)c;
                    rgba[4 * p + 3] = rng.Next(8) == 0 ? (byte)0 : (byte)255;
                }
            if (rng.Next(3) == 0) canvas = rgba; // sometimes the band stays (later frames build on it)
            frames.Add(new Frame(rgba, 100, DisposalMethod.DoNotDispose, new FrameRect(0, 0, w, h)));
            if (rng.Next(4) == 0) frames.Add(new Frame((byte[])rgba.Clone(), 100, DisposalMethod.DoNotDispose, new FrameRect(0, 0, w, h)));
        }
        var seq = new FrameSequence(w, h, frames, GifInfo.Synthetic);
        int expected = HashSetMax(frames);
        Assert.Equal(expected, OutputValidator.MaxDistinctColors(seq));
        Assert.Equal(expected, OutputValidator.MaxDistinctColors(seq)); // the per-thread sets come back empty
    }

    /// <summary>Independent count: a HashSet of the visible RGB triples of each frame, the largest.</summary>
    private static int HashSetMax(IEnumerable<Frame> frames)
    {
        int max = 0;
        foreach (var f in frames)
        {
            var set = new HashSet<int>();
            for (int p = 0; p + 3 < f.Rgba.Length; p += 4)
                if (f.Rgba[p + 3] != 0) set.Add(f.Rgba[p] << 16 | f.Rgba[p + 1] << 8 | f.Rgba[p + 2]);
            max = Math.Max(max, set.Count);
        }
        return max;
    }
}
