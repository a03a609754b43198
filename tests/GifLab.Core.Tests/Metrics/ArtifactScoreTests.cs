namespace GifLab.Core.Tests.Metrics;

/// <summary>Each GIF artefact score on a synthetic sequence built to show that artefact vs a clean copy.</summary>
public sealed class ArtifactScoreTests
{
    private const int W = 64, H = 48;

    private static (byte, byte, byte, byte) Rgb(int r, int g, int b) =>
        ((byte)Math.Clamp(r, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(b, 0, 255), (byte)255);

    [Fact]
    public void Disposal_TrailsLeftBehindAMovingSquare_Score()
    {
        // Original: a red square moves right over grey; compressed: the old positions are never cleared.
        var orig = Synthetic.Build(W, H, 6, (f, x, y) => x >= 8 * f && x < 8 * f + 8 && y >= 20 && y < 28 ? Rgb(220, 20, 20) : Rgb(128, 128, 128));
        var trails = Synthetic.Build(W, H, 6, (f, x, y) => x < 8 * f + 8 && y >= 20 && y < 28 ? Rgb(220, 20, 20) : Rgb(128, 128, 128));
        Assert.Equal(0.0, Synthetic.Measure(orig, orig)["disposal_artifact_score"]);
        Assert.InRange(Synthetic.Measure(orig, trails)["disposal_artifact_score"], 0.3, 1.0);
    }

    [Fact]
    public void Transparency_LostTransparentArea_Score()
    {
        var orig = Synthetic.Build(W, H, 2, (_, x, _) => x < 16 ? ((byte)0, (byte)0, (byte)0, (byte)0) : Rgb(10, 200, 30));
        var half = Synthetic.Build(W, H, 2, (_, x, _) => x < 8 ? ((byte)0, (byte)0, (byte)0, (byte)0) : x < 16 ? Rgb(255, 255, 255) : Rgb(10, 200, 30));
        Assert.Equal(0.0, Synthetic.Measure(orig, orig)["transparency_artifact_score"]);
        Assert.Equal(0.5, Synthetic.Measure(orig, half)["transparency_artifact_score"], 9);
    }

    [Fact]
    public void Flicker_NoiseRedrawnEveryFrameOnAStaticImage_Score()
    {
        var orig = Synthetic.Build(W, H, 8, (_, x, y) => Rgb(x * 4, y * 5, 90));
        var flicker = Synthetic.Build(W, H, 8, (f, x, y) => ((x + y + f) & 1) == 0 && x < 32 ? Rgb(x * 4 + 30, y * 5 + 30, 120) : Rgb(x * 4, y * 5, 90));
        var steadyNoise = Synthetic.Build(W, H, 8, (_, x, y) => ((x + y) & 1) == 0 && x < 32 ? Rgb(x * 4 + 30, y * 5 + 30, 120) : Rgb(x * 4, y * 5, 90));
        Assert.Equal(0.0, Synthetic.Measure(orig, orig)["temporal_flicker_score"]);
        Assert.Equal(0.0, Synthetic.Measure(orig, steadyNoise)["temporal_flicker_score"]); // static error is not flicker
        Assert.InRange(Synthetic.Measure(orig, flicker)["temporal_flicker_score"], 0.4, 0.6);  // half the canvas flickers
    }

    [Fact]
    public void Pumping_AlternatingGoodAndBadFrames_ScoresAboveSteadyDegradation()
    {
        var orig = Synthetic.Textured(W, H, 8);
        var steady = Synthetic.WithNoise(orig, 20, 1);
        var frames = orig.Frames.Select((fr, i) => i % 2 == 0 ? fr : steady.Frames[i]).ToList();
        var pumping = new GifLab.Core.Model.FrameSequence(W, H, frames, orig.Info);
        double steadyScore = Synthetic.Measure(orig, steady)["temporal_pumping_score"];
        double pumpingScore = Synthetic.Measure(orig, pumping)["temporal_pumping_score"];
        Assert.True(steadyScore < 0.01, $"steady {steadyScore}");
        Assert.True(pumpingScore > 5 * steadyScore + 0.02, $"pumping {pumpingScore} vs steady {steadyScore}");
    }

    private static FrameSequenceDelegate Ramp => (f, x, y) => Rgb(40 + x * 3 / 2, 60 + x, 80 + x / 2);
    private delegate (byte, byte, byte, byte) FrameSequenceDelegate(int f, int x, int y);

    [Fact]
    public void Banding_QuantisedSmoothGradient_Score()
    {
        var orig = Synthetic.Build(W, H, 1, (f, x, y) => Ramp(f, x, y));
        var banded = Synthetic.Build(W, H, 1, (f, x, y) =>
        {
            var (r, g, b, _) = Ramp(f, x, y);
            return Rgb(r / 24 * 24, g / 24 * 24, b / 24 * 24);
        });
        var clean = Synthetic.Measure(orig, orig);
        Assert.Equal(0.0, clean["gradient_banding_score"]);
        Assert.True(clean["gradient_region_count"] > 0);
        Assert.InRange(Synthetic.Measure(orig, banded)["gradient_banding_score"], 0.5, 1.0);
    }

    [Fact]
    public void Posterization_FewerToneLevels_Score()
    {
        var orig = Synthetic.Build(W, H, 1, (f, x, y) => Ramp(f, x, y));
        var poster = Synthetic.Build(W, H, 1, (f, x, y) =>
        {
            var (r, g, b, _) = Ramp(f, x, y);
            return Rgb(r / 32 * 32, g / 32 * 32, b / 32 * 32);
        });
        Assert.Equal(0.0, Synthetic.Measure(orig, orig)["posterization_score"]);
        Assert.InRange(Synthetic.Measure(orig, poster)["posterization_score"], 0.5, 1.0);
    }

    [Fact]
    public void Dither_ColourDriftScoresBelowFineDither_PerfectCopyScoresOne()
    {
        var orig = Synthetic.Build(W, H, 1, (_, x, y) => Rgb(120 + x / 8, 140, 100 + y / 8));
        var fineDither = Synthetic.Build(W, H, 1, (_, x, y) => ((x + y) & 1) == 0 ? Rgb(123 + x / 8, 143, 103 + y / 8) : Rgb(117 + x / 8, 137, 97 + y / 8));
        var drift = Synthetic.Build(W, H, 1, (_, x, y) => Rgb(132 + x / 8, 152, 112 + y / 8));
        double perfect = Synthetic.Measure(orig, orig)["dither_quality_score"];
        double fine = Synthetic.Measure(orig, fineDither)["dither_quality_score"];
        double drifted = Synthetic.Measure(orig, drift)["dither_quality_score"];
        Assert.Equal(1.0, perfect);
        Assert.True(fine > 0.9, $"fine {fine}");
        Assert.True(drifted < fine - 0.2, $"drift {drifted} vs fine {fine}");
    }

    [Fact]
    public void TextReadability_BlurredStrokes_ScoreBelowSharp()
    {
        // Black 2-px strokes every 6 px on white (text-like), and a 3×3 box-blurred copy.
        static int Ink(int x, int y) => (x % 6 < 2 && y % 16 < 12) ? 0 : 255;
        var orig = Synthetic.Grey(W, H, 1, (_, x, y) => Ink(x, y));
        var blurred = Synthetic.Grey(W, H, 1, (_, x, y) =>
        {
            int s = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    s += Ink(Math.Clamp(x + dx, 0, W - 1), Math.Clamp(y + dy, 0, H - 1));
            return s / 9;
        });
        var sharp = Synthetic.Measure(orig, orig);
        Assert.Equal(1.0, sharp["text_readability_score"], 9);
        Assert.True(sharp["text_region_fraction"] > 0.5);
        Assert.True(Synthetic.Measure(orig, blurred)["text_readability_score"] < 0.9);
        var flat = Synthetic.Grey(W, H, 1, (_, _, _) => 128);
        Assert.Null(Synthetic.Measure(flat, flat).Maybe("text_readability_score"));
    }
}
