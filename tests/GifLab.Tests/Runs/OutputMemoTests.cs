using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Pipelines;
using GifLab.Runs;
using GifLab.Storage.Sqlite;
using GifLab.Tests.Engines;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace GifLab.Tests.Runs;

/// <summary>Byte-identical outputs of one GIF share their colour count and metric values, and the stored rows are the
/// same as when every output is measured on its own.</summary>
public class OutputMemoTests(ITestOutputHelper output)
{
    [Fact]
    public void SameBytes_SameEntry_ValueComputedOnce()
    {
        var memo = new OutputMemo();
        byte[] a = [1, 2, 3], b = [1, 2, 3], c = [1, 2, 4];
        var e = memo.For(a);
        Assert.Same(e, memo.For(b));
        Assert.NotSame(e, memo.For(c));
        Assert.Equal(2, memo.Count);

        int calls = 0;
        Assert.Equal("x", e.MetricsJson(() => { calls++; return "x"; }, out var reused1));
        Assert.Equal("x", e.MetricsJson(() => { calls++; return "y"; }, out var reused2));
        Assert.Equal(1, calls);
        Assert.False(reused1);
        Assert.True(reused2);
    }

    [Fact]
    public async Task ConcurrentRunsWithTheSameBytes_MeasureOnce()
    {
        var entry = new OutputMemo().For([7, 7, 7]);
        int calls = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            entry.MetricsJson(() => { Interlocked.Increment(ref calls); Thread.Sleep(50); return "m"; }, out _))));
        Assert.All(results, r => Assert.Equal("m", r));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task RowsWithAndWithoutTheMemo_AreIdentical()
    {
        using var dir = new TempDir();
        var gifs = Directory.CreateDirectory(dir.File("in")).FullName;
        File.Copy(TestEnvironment.TestData("animated-red-blue.gif"), Path.Combine(gifs, "a.gif"));
        // Pass-through runs (no process) give byte-identical outputs, equal to the source.
        var items = new List<PlannedItem>();
        var passThrough = new PipelineId("none-frame", "none-color", "none-lossy");
        foreach (var colors in new[] { 256, 128, 64, 32 }) items.Add(new PlannedItem(passThrough, new ParamPreset(0, colors, 1.0)));
        var catalog = await EngineCatalog.ProbeAsync(EngineSettings.Default, CancellationToken.None);
        bool gifsicle = catalog.Family(ToolFamilies.Gifsicle) is { Available: true };
        if (gifsicle)
        {
            // Lossy 0 with no colour step and with a 256-colour step run the same gifsicle command: identical bytes;
            // the lossy levels on this two-colour GIF give further groups.
            foreach (var lossy in new[] { 0, 20, 40, 60, 80, 100 })
                items.Add(new PlannedItem(new PipelineId("none-frame", "none-color", "gifsicle-lossy"), new ParamPreset(lossy, 256, 1.0)));
            var colour = new PipelineId("none-frame", "gifsicle-color", "gifsicle-lossy");
            foreach (var colors in new[] { 256, 64 }) items.Add(new PlannedItem(colour, new ParamPreset(0, colors, 1.0)));
        }
        else output.WriteLine("gifsicle not installed: pass-through outputs only");
        var plan = new RunPlan(items, [], 1, items.Count);

        async Task<(Dictionary<string, string> Rows, int Reused)> Run(string db, bool share)
        {
            await using var store = new SqliteResultStore(db);
            await store.InitializeAsync(CancellationToken.None);
            var executor = new RunExecutor(store, catalog, new PipelineExecutor(catalog, EngineSettings.Default));
            var summary = await executor.RunAsync(new RunOptions { InputPath = gifs, Jobs = 3, TempRoot = dir.File("tmp"), ShareIdenticalOutputs = share },
                plan, CancellationToken.None);
            Assert.Equal(items.Count, summary.RunsValid);
            var rows = new Dictionary<string, string>();
            await using var c = new SqliteConnection($"Data Source={db};Pooling=False");
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT p.identifier || '|' || pp.lossy_level || '|' || pp.color_count, r.output_size_bytes || '|' || r.validation_status || '|' || r.metrics_json || '|' || r.validation_json
                FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id JOIN param_presets pp ON pp.id = r.param_preset_id
                """;
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows[reader.GetString(0)] = reader.GetString(1);
            return (rows, summary.Profile.MetricsReused);
        }

        var (shared, reused) = await Run(dir.File("shared.db"), share: true);
        var (alone, none) = await Run(dir.File("alone.db"), share: false);
        Assert.Equal(items.Count, shared.Count);
        Assert.Equal(shared.Keys.Order(), alone.Keys.Order());
        foreach (var (key, row) in shared) Assert.Equal(alone[key], row); // metrics_json and validation_json byte for byte
        Assert.Equal(0, none);
        output.WriteLine($"{reused} of {items.Count} runs reused an identical output's values");
        // 3 from the pass-through group; with gifsicle at least lossy 0 ≡ colour 256 + lossy 0.
        Assert.True(reused >= (gifsicle ? 4 : 3), $"only {reused} runs reused an identical output's values");
    }
}
