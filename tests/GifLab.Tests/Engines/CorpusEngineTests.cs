using GifLab.Core.Decoding;
using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Validation;
using Xunit.Abstractions;

namespace GifLab.Tests.Engines;

/// <summary>
/// Every available engine's lossy tool (and the frame tools at r = 0.5) over the shared corpus's <c>real/</c> GIFs:
/// no crash, every outcome classified, timing checks reported. Slow, so it runs only when
/// <c>GIFLAB_ENGINE_CORPUS=1</c>; skips when the shared corpus is absent (a clone without ../shared).
/// </summary>
public class CorpusEngineTests(RealEnginesFixture fx, ITestOutputHelper output) : IClassFixture<RealEnginesFixture>
{
    [Fact(Timeout = 1_800_000)]
    public async Task RealCorpus_EveryEngine_OutputsClassified()
    {
        if (Environment.GetEnvironmentVariable("GIFLAB_ENGINE_CORPUS") != "1")
        {
            output.WriteLine("SKIPPED: set GIFLAB_ENGINE_CORPUS=1 to run the engine corpus sweep.");
            return;
        }
        var corpus = Path.Combine(TestEnvironment.RepoRoot, "..", "shared", "corpus", "real");
        if (!Directory.Exists(corpus)) corpus = "/work/shared/corpus/real";
        if (!Directory.Exists(corpus))
        {
            output.WriteLine("SKIPPED: shared corpus not found.");
            return;
        }
        var pipelines = new List<(PipelineId, ParamPreset)>();
        foreach (var e in EngineNames.All)
            if (fx.Catalog.IsAvailable(ToolRegistry.LossyToolFor(e).Name))
                pipelines.Add((new PipelineId("none-frame", "none-color", ToolRegistry.LossyToolFor(e).Name), new ParamPreset(40, 256, 1.0)));
        foreach (var f in new[] { "gifsicle-frame", "imagemagick-frame", "ffmpeg-frame" })
            if (fx.Catalog.IsAvailable(f)) pipelines.Add((new PipelineId(f, "none-color", "none-lossy"), new ParamPreset(0, 256, 0.5)));
        foreach (var c in new[] { "gifsicle-color", "imagemagick-color", "ffmpeg-color" })
            if (fx.Catalog.IsAvailable(c)) pipelines.Add((new PipelineId("none-frame", c, "none-lossy"), new ParamPreset(0, 32, 1.0)));

        var failedChecks = 0;
        foreach (var file in Directory.EnumerateFiles(corpus, "*.gif", SearchOption.AllDirectories).Order())
        {
            var source = RealEnginesFixture.Load(file);
            if (source.Frames.FrameCount > 120 || (long)source.Frames.Width * source.Frames.Height > 400_000) continue; // keep it minutes, not hours
            foreach (var (pipeline, preset) in pipelines)
            {
                using var work = TestEnvironment.NewTempDir();
                ValidationResult result;
                double wall = 0;
                try
                {
                    var outcome = await new PipelineExecutor(fx.Catalog, fx.Settings).ExecuteAsync(pipeline, preset, source, work.Path, CancellationToken.None);
                    wall = outcome.EngineWallMs;
                    result = OutputValidator.Validate(outcome.OutputPath, source, pipeline, preset);
                }
                catch (ToolFailedException e)
                {
                    result = OutputValidator.Error(e);
                }
                var failed = result.Checks.Where(kv => kv.Key.EndsWith("_ok", StringComparison.Ordinal) && kv.Value is false)
                    .Select(kv => kv.Key[..^3] + "=" + result.Checks.GetValueOrDefault(kv.Key[..^3] is "dimensions" ? "width" : kv.Key[..^3] == "colors" ? "max_frame_colors" : kv.Key[..^3] == "delays" ? "delays_matching" : kv.Key[..^3] + (kv.Key.StartsWith("duration", StringComparison.Ordinal) ? "_ms" : "")) + "/" +
                        result.Checks.GetValueOrDefault(kv.Key[..^3] + (kv.Key.StartsWith("duration", StringComparison.Ordinal) ? "_expected_ms" : kv.Key[..^3] == "colors" ? "_requested" : "_expected")))
                    .ToList();
                if (failed.Count > 0 || result.Status != ValidationStatus.Valid) failedChecks++;
                output.WriteLine($"{Path.GetFileName(file),-32} {pipeline,-48} {result.StatusName,-9} {wall,8:0} ms  {string.Join(' ', failed)} {result.Reason}");
                Assert.True(Enum.IsDefined(result.Status));
            }
        }
        output.WriteLine($"runs with a failed check or not valid: {failedChecks}");
    }
}
