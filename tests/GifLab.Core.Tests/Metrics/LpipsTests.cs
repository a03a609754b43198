using GifLab.Core.Metrics;
using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Tests.Metrics;

/// <summary>
/// The LPIPS metric's plumbing with a managed stand-in network (no ONNX here; the ONNX runner is tested in
/// GifLab.Tests): tensor layout and scaling, resize, batching, sampling, failure handling. Expected values are
/// hand-derived from the input scaling v / 127.5 − 1 and the area-resampling definition.
/// </summary>
public sealed class LpipsTests
{
    /// <summary>Distance = mean of (original − compressed)² over the item; records every call's batch and size.</summary>
    private sealed class RecordingModel(int? width = null, int? height = null, int maxBatch = 8) : ILpipsModel
    {
        public List<(int Batch, int Height, int Width)> Calls { get; } = [];
        public List<float[]> Originals { get; } = [];
        public string Description => "recording";
        public int? InputHeight => height;
        public int? InputWidth => width;
        public int MaxBatch => maxBatch;

        public void Distances(ReadOnlyMemory<float> original, ReadOnlyMemory<float> compressed, int batch, int h, int w, Span<float> distances)
        {
            lock (Calls)
            {
                Calls.Add((batch, h, w));
                Originals.Add(original.ToArray());
            }
            int item = 3 * h * w;
            Assert.Equal(batch * item, original.Length);
            for (int k = 0; k < batch; k++)
            {
                double sum = 0;
                var a = original.Span.Slice(k * item, item);
                var b = compressed.Span.Slice(k * item, item);
                for (int i = 0; i < item; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
                distances[k] = (float)(sum / item);
            }
        }
    }

    private sealed class FailingModel : ILpipsModel
    {
        public string Description => "failing";
        public int? InputHeight => null;
        public int? InputWidth => null;
        public int MaxBatch => 8;
        public void Distances(ReadOnlyMemory<float> original, ReadOnlyMemory<float> compressed, int batch, int height, int width, Span<float> distances) =>
            throw new LpipsModelException("out of memory in node Conv_3");
    }

    private static MetricResult Measure(ILpipsModel? model, GifLab.Core.Model.FrameSequence a, GifLab.Core.Model.FrameSequence b, bool exact = true)
    {
        var suite = new MetricSuite();
        var options = new MetricOptions(Exact: exact) { LpipsModel = model };
        return suite.Measure(suite.Prepare(a, options), b, options);
    }

    [Fact]
    public void WithoutModel_EveryLpipsKeyIsNullWithTheReason()
    {
        var a = Synthetic.Textured(16, 16, 2);
        var r = Measure(null, a, a);
        Assert.Equal(["lpips", "lpips_std", "lpips_min", "lpips_max", "lpips_frames"], new Lpips().Info.Outputs);
        foreach (var key in new Lpips().Info.Outputs)
        {
            Assert.Null(r.Values[key]);
            Assert.Equal(Lpips.NoModelReason, r.NullReasons[key]);
        }
        Assert.Empty(r.Notes);
    }

    [Fact]
    public void Tensor_IsPlanarRgb_ScaledToMinusOneOne()
    {
        var model = new RecordingModel();
        // One 2×1 frame: pixel 0 = (255, 0, 51), pixel 1 = (0, 255, 102).
        var a = Synthetic.Build(2, 1, 1, (_, x, _) => x == 0 ? ((byte)255, (byte)0, (byte)51, (byte)255) : ((byte)0, (byte)255, (byte)102, (byte)255));
        Measure(model, a, a);
        // Planes R, G, B; v / 127.5 − 1: 255 → 1, 0 → −1, 51 → −0.6, 102 → −0.2.
        float[] expected = [1f, -1f, -1f, 1f, (float)(51 / 127.5 - 1), (float)(102 / 127.5 - 1)];
        Assert.Equal(expected, model.Originals.Single());
        Assert.Equal((1, 1, 2), model.Calls.Single());
    }

    [Fact]
    public void Notes_NameTheModel()
    {
        var a = Synthetic.Textured(8, 8, 1);
        Assert.Equal("recording", Measure(new RecordingModel(), a, a).Notes[MetricResult.LpipsModelNote]);
    }

    [Theory]
    [InlineData(300, 200, 300, 200)]     // within 512: unchanged
    [InlineData(512, 512, 512, 512)]
    [InlineData(1024, 512, 512, 256)]    // halved
    [InlineData(700, 350, 512, 256)]
    [InlineData(513, 1, 512, 1)]         // never below 1 px
    [InlineData(200, 1000, 102, 512)]    // 200 · 0.512 = 102.4 → 102
    public void InputSize_Dynamic_LongerSideAtMost512(int w, int h, int ew, int eh) =>
        Assert.Equal((ew, eh), Lpips.InputSize(w, h, null, null));

    [Fact]
    public void InputSize_FixedDimensionsWin() =>
        Assert.Equal((224, 224), Lpips.InputSize(1000, 30, 224, 224));

    [Fact]
    public void AreaResize_4x2To2x1_IsTheMeanOfEach2x2Block()
    {
        // R values: row 0 = 0, 10, 20, 30; row 1 = 40, 50, 60, 70 → blocks (0+10+40+50)/4 = 25 and (20+30+60+70)/4 = 45.
        byte[] rgb = new byte[4 * 2 * 3];
        int[] r = [0, 10, 20, 30, 40, 50, 60, 70];
        for (int i = 0; i < 8; i++) { rgb[3 * i] = (byte)r[i]; rgb[3 * i + 1] = 255; rgb[3 * i + 2] = 0; }
        var dst = new float[3 * 2];
        LpipsInput.Write(rgb, 4, 2, 2, 1, dst);
        Assert.Equal(25 / 127.5 - 1, dst[0], 1e-6);
        Assert.Equal(45 / 127.5 - 1, dst[1], 1e-6);
        Assert.Equal(1.0, dst[2], 1e-6);
        Assert.Equal(-1.0, dst[4], 1e-6);
    }

    [Fact]
    public void AreaResize_3To2_WeightsOverlaps()
    {
        // 3 → 2 columns, scale 1.5: out 0 = (1·a + 0.5·b) / 1.5, out 1 = (0.5·b + 1·c) / 1.5.
        byte[] rgb = [30, 0, 0, 60, 0, 0, 150, 0, 0];
        var dst = new float[6];
        LpipsInput.Write(rgb, 3, 1, 2, 1, dst);
        Assert.Equal((30 + 0.5 * 60) / 1.5 / 127.5 - 1, dst[0], 1e-6);
        Assert.Equal((0.5 * 60 + 150) / 1.5 / 127.5 - 1, dst[1], 1e-6);
    }

    [Theory]
    [InlineData(700, 512)]
    [InlineData(40, 16)]
    [InlineData(16, 40)]   // upscaling
    [InlineData(513, 512)]
    [InlineData(1, 7)]
    public void AreaWeights_SumToOnePerOutput(int source, int target)
    {
        var (start, count, weights) = LpipsInput.Weights(source, target);
        int stride = weights.Length / target;
        for (int j = 0; j < target; j++)
        {
            Assert.InRange(start[j], 0, source - 1);
            Assert.InRange(start[j] + count[j], 1, source);
            double sum = 0;
            for (int k = 0; k < count[j]; k++) sum += weights[j * stride + k];
            Assert.Equal(1.0, sum, 1e-6);
        }
    }

    [Fact]
    public void Batches_AtMost8_OrTheModelLimit()
    {
        var a = Synthetic.Textured(8, 8, 20);
        var b = Synthetic.WithNoise(a, 5);
        var dynamic = new RecordingModel();
        Measure(dynamic, a, b);
        Assert.Equal([8, 8, 4], dynamic.Calls.Select(c => c.Batch));
        var single = new RecordingModel(maxBatch: 1);
        var r = Measure(single, a, b);
        Assert.Equal(20, single.Calls.Count);
        Assert.All(single.Calls, c => Assert.Equal(1, c.Batch));
        Assert.Equal(20.0, r.Values["lpips_frames"]);
    }

    [Fact]
    public void Sampling_AtMost100PairsUnlessExact()
    {
        var a = Synthetic.Textured(8, 8, 150);
        var b = Synthetic.WithNoise(a, 5);
        Assert.Equal(100.0, Measure(new RecordingModel(), a, b, exact: false).Values["lpips_frames"]);
        Assert.Equal(150.0, Measure(new RecordingModel(), a, b, exact: true).Values["lpips_frames"]);
    }

    [Fact]
    public void FixedSizeModel_GetsFramesAtItsSize()
    {
        var model = new RecordingModel(width: 16, height: 12);
        var a = Synthetic.Textured(40, 30, 1);
        Measure(model, a, a);
        Assert.Equal((1, 12, 16), model.Calls.Single());
    }

    [Fact]
    public void ModelFailure_IsNullWithTheError_NotACrash()
    {
        var a = Synthetic.Textured(8, 8, 2);
        var r = Measure(new FailingModel(), a, a);
        foreach (var key in new Lpips().Info.Outputs)
        {
            Assert.Null(r.Values[key]);
            Assert.Contains("out of memory in node Conv_3", r.NullReasons[key]);
        }
        Assert.NotNull(r.Values["ssim"]);
    }

    [Fact]
    public void TransparentGif_KeepsTheWorsePass()
    {
        // Original: transparent everywhere (white pass → white, black pass → black); compressed: opaque black.
        // White pass: white vs black → 4; black pass: black vs black → 0; LPIPS is lower-better, so 4 is kept.
        var original = Synthetic.Build(6, 6, 1, (_, _, _) => (0, 0, 0, 0));
        var compressed = Synthetic.Build(6, 6, 1, (_, _, _) => (0, 0, 0, 255));
        var r = Measure(new RecordingModel(), original, compressed);
        Assert.Equal(4.0, r.Values["lpips"]!.Value, 1e-6);
        Assert.Equal(2.0, r.Values["background_passes"]);
    }
}
