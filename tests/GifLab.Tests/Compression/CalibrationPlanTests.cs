using GifLab.Compression;
using GifLab.Core.Curves;
using GifLab.Core.Model;
using GifLab.Modeling;
using GifLab.Tests.Modeling;

namespace GifLab.Tests.Compression;

/// <summary>
/// <see cref="CurveCalibrator.CalibrateAsync"/>'s orchestration over a fake measuring function (no engine): runs of a
/// calibration set start together and at most N at a time, results keep the predictions' order, a set with a failed
/// run falls back to one point, and an unavailable engine is reported, not run. Models: the hidden-slope dataset of
/// <see cref="SizeCalibrationTests"/>, whose metadata hold sets of 2 and 3 points.
/// </summary>
public sealed class CalibrationPlanTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly CurvePredictor _predictor;
    private readonly CurvePrediction _plain;
    private const long Original = 50_000;

    public CalibrationPlanTests()
    {
        ModelFiles.Save(new CurveModelTrainer(SizeCalibrationTests.Fast).Train(SizeCalibrationTests.Dataset(hiddenSlope: 0.5)), _dir.Path, SizeCalibrationTests.Fast);
        _predictor = CurvePredictor.Load(_dir.Path, Engine.Gifsicle, SizeCalibrationTests.Names, "1.2.0");
        _plain = _predictor.Predict(new Dictionary<string, double?> { ["entropy"] = 3 }, Original).Single();
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A made-up engine output per position (bytes = 30,000 − 100 × position), so results can be recomputed.</summary>
    private static long Bytes(int position) => 30_000 - 100 * position;

    [Fact]
    public async Task SetOfThree_RunsConcurrentlyWithinTheLimit_OncePerPosition_AndEqualsCalibrateOnTheSameSizes()
    {
        var positions = _predictor.CalibrationPositions(Engine.Gifsicle, CurveType.Lossy, 3)!;
        Assert.Equal(3, positions.Count);
        int inFlight = 0, peak = 0;
        var calls = new List<int>();
        async Task<CalibrationRun> Measure(CurvePrediction p, int position, CancellationToken ct)
        {
            lock (calls) calls.Add(position);
            var now = Interlocked.Increment(ref inFlight);
            lock (calls) peak = Math.Max(peak, now);
            // Later positions finish first: the result must not depend on completion order.
            await Task.Delay(150 - position, ct);
            Interlocked.Decrement(ref inFlight);
            return new CalibrationRun(p.Engine, p.Curve, position, Bytes(position), null, TimeSpan.Zero);
        }
        // The same curve twice: identical runs are made once and both results come back, in order.
        var results = await CurveCalibrator.CalibrateCoreAsync(_predictor, [_plain, _plain], [Engine.Gifsicle], 3, 2, _ => null, Measure, Original, default);
        Assert.Equal(2, results.Count);
        Assert.Equal(positions.Order(), calls.Order());
        Assert.Equal(2, peak);
        var expected = _predictor.Calibrate(_plain, positions.Select(p => new MeasuredSize(p, Bytes(p))).ToList(), Original);
        foreach (var r in results)
        {
            Assert.Null(r.Unavailable);
            Assert.Empty(r.Warnings);
            Assert.Equal(expected.Points.Select(p => p.SizeBytes), r.Prediction.Points.Select(p => p.SizeBytes));
            Assert.Equal(positions, r.Prediction.Calibration!.Points.Select(p => p.Position));
        }
    }

    [Fact]
    public async Task FailedRunOfASet_FallsBackToTheSinglePoint_AndAFailedSinglePointLeavesTheCurveUncalibrated()
    {
        var set = _predictor.CalibrationPositions(Engine.Gifsicle, CurveType.Lossy, 2)!;
        var single = _predictor.CalibrationPosition(Engine.Gifsicle, CurveType.Lossy)!.Value;
        var failing = set.First(p => p != single);
        Task<CalibrationRun> Measure(CurvePrediction p, int position, CancellationToken ct) => Task.FromResult(position == failing
            ? new CalibrationRun(p.Engine, p.Curve, position, null, "engine said no", TimeSpan.Zero)
            : new CalibrationRun(p.Engine, p.Curve, position, Bytes(position), null, TimeSpan.Zero));
        var r = (await CurveCalibrator.CalibrateCoreAsync(_predictor, [_plain], [Engine.Gifsicle], 2, 4, _ => null, Measure, Original, default)).Single();
        Assert.Equal([single], r.Prediction.Calibration!.Points.Select(p => p.Position));
        Assert.Equal(Bytes(single), r.Prediction.Points.Single(p => p.Position == single).SizeBytes);
        var warning = Assert.Single(r.Warnings);
        Assert.Contains($"at lossy_level {failing} gave no size (engine said no)", warning);
        Assert.Contains($"calibrated by one point (lossy_level {single})", warning);

        Task<CalibrationRun> Fail(CurvePrediction p, int position, CancellationToken ct) =>
            Task.FromResult(new CalibrationRun(p.Engine, p.Curve, position, null, "broken", TimeSpan.Zero));
        var none = (await CurveCalibrator.CalibrateCoreAsync(_predictor, [_plain], [Engine.Gifsicle], 2, 4, _ => null, Fail, Original, default)).Single();
        Assert.Same(_plain, none.Prediction);
        Assert.Equal(2, none.Warnings.Count);
        Assert.EndsWith("that curve is uncalibrated", none.Warnings[1]);
    }

    [Fact]
    public async Task UnavailableEngine_IsReportedNotRun_AndEnginesNotAskedForAreLeftAlone()
    {
        Task<CalibrationRun> Never(CurvePrediction p, int position, CancellationToken ct) => throw new InvalidOperationException("must not run");
        var missing = (await CurveCalibrator.CalibrateCoreAsync(_predictor, [_plain], [Engine.Gifsicle], 2, 4, _ => "not on PATH", Never, Original, default)).Single();
        Assert.Equal("not on PATH", missing.Unavailable);
        Assert.Same(_plain, missing.Prediction);
        var other = (await CurveCalibrator.CalibrateCoreAsync(_predictor, [_plain], [Engine.Gifski], 2, 4, _ => "not on PATH", Never, Original, default)).Single();
        Assert.Null(other.Unavailable);
        Assert.Empty(other.Warnings);
        Assert.Same(_plain, other.Prediction);
    }
}
