using GifLab.Compression;
using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Modeling;
using GifLab.Tests.Engines;

namespace GifLab.Tests.Compression;

/// <summary>
/// <see cref="CurveCalibrator"/> with the real gifsicle (installed by scripts/setup-deps.sh; the tests return early with
/// nothing checked when it is absent): the calibration run is the curve's own pipeline at its first point, so its size is
/// the size <see cref="GifCompressor"/> writes for the same setting (an independent path through the same executor).
/// </summary>
public sealed class CurveCalibratorTests
{
    private static readonly EngineSettings Settings = new() { Timeout = TimeSpan.FromSeconds(60), UseEnvironment = false };
    private static string Sample(string name) => Path.Combine(TestEnvironment.RepoRoot, "samples", name);

    [Fact]
    public async Task LossyFirstPoint_EqualsTheCompressorsOutput_AndOnlyTheRequestedFamilyIsProbed()
    {
        using var calibrator = await CurveCalibrator.CreateAsync([Engine.Gifsicle], Settings);
        if (calibrator.UnavailableReason(Engine.Gifsicle) is not null) return;
        var (_, _, source) = GifFeatureReader.ReadSource(Sample("muybridge.gif"));
        var run = await calibrator.MeasureAsync(source, Engine.Gifsicle, CurveType.Lossy, 0);
        Assert.Null(run.Failure);
        Assert.Equal("none-frame|none-color|gifsicle-lossy", calibrator.PipelineFor(Engine.Gifsicle, CurveType.Lossy).ToString());
        Assert.Equal("none-frame|gifsicle-color|gifsicle-lossy", calibrator.PipelineFor(Engine.Gifsicle, CurveType.Colors).ToString());

        using var dir = new TempDir();
        using var compressor = await GifCompressor.CreateAsync(Settings);
        var attempt = await compressor.CompressAsync(source.Path, dir.File("out.gif"), new EngineSetting(Engine.Gifsicle, 0, 256));
        Assert.True(attempt.IsValid, attempt.Rejection);
        Assert.Equal(attempt.OutputBytes, run.OutputBytes);

        var colors = await calibrator.MeasureAsync(source, Engine.Gifsicle, CurveType.Colors, 256);
        Assert.Null(colors.Failure);
        Assert.True(colors.OutputBytes > 0);
        // ImageMagick's family was not probed: its run is refused with a reason, not attempted.
        var other = await calibrator.MeasureAsync(source, Engine.ImageMagick, CurveType.Lossy, 0);
        Assert.Null(other.OutputBytes);
        Assert.Contains("imagemagick unavailable", other.Failure);
    }

    [Fact]
    public async Task MissingBinary_GivesAFailureWithTheReason_NotAnException()
    {
        var settings = new EngineSettings { Timeout = TimeSpan.FromSeconds(60), UseEnvironment = false, SearchPath = "/nonexistent-giflab-test" };
        using var calibrator = await CurveCalibrator.CreateAsync([Engine.Gifsicle], settings);
        var (_, _, source) = GifFeatureReader.ReadSource(Sample("muybridge.gif"));
        if (calibrator.UnavailableReason(Engine.Gifsicle) is null) return; // found anyway (e.g. a fixed path): nothing to check
        var run = await calibrator.MeasureAsync(source, Engine.Gifsicle, CurveType.Lossy, 0);
        Assert.Null(run.OutputBytes);
        Assert.StartsWith("gifsicle unavailable: ", run.Failure);
    }
}
