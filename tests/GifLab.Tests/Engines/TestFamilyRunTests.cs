using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Pipelines;
using GifLab.Runs;
using GifLab.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace GifLab.Tests.Engines;

/// <summary>A family added in one file (<see cref="CopyFamily"/>) plus one registration line is probed, planned, run,
/// validated, measured and stored like the built-in ones.</summary>
public class TestFamilyRunTests
{
    [Fact(Timeout = 120_000)]
    public async Task TestFamily_OneFileAndOneRegistrationLine_RunsEndToEnd()
    {
        var families = new FamilyRegistry([.. FamilyRegistry.Default.Families, new CopyFamily()]); // the registration line
        using var dir = TestEnvironment.NewTempDir();
        var gifs = Directory.CreateDirectory(dir.File("in")).FullName;
        var source = TestEnvironment.TestData("animated-red-blue.gif");
        File.Copy(source, Path.Combine(gifs, "a.gif"));
        // Only FakeTool is found: the real engines are hidden, so only pass-through and the test family's tools plan.
        var settings = new EngineSettings
        {
            SearchPath = "/nonexistent", UseEnvironment = false,
            BinaryPaths = new Dictionary<string, string> { ["fakecopy"] = TestEnvironment.FakeToolHost },
        };
        var catalog = await EngineCatalog.ProbeAsync(settings, families, CancellationToken.None);
        Assert.True(catalog.IsAvailable("fakecopy-lossy"), catalog.Get("fakecopy-lossy").Reason);
        Assert.Equal("0.0-fake", catalog.Family("fakecopy")!.Version);

        var plan = RunPlanner.Plan(new GridOptions("full", Levels: [0, 50], Colors: [256, 64]), catalog);
        // none-frame × {none-color, fakecopy-color} × {none-lossy, fakecopy-lossy} × 4 presets.
        Assert.Equal(16, plan.Items.Count);
        Assert.Contains(plan.Items, i => i.Pipeline == new PipelineId("none-frame", "fakecopy-color", "fakecopy-lossy"));

        var db = dir.File("runs.db");
        await using (var store = new SqliteResultStore(db))
        {
            await store.InitializeAsync(CancellationToken.None);
            var summary = await new RunExecutor(store, catalog, new PipelineExecutor(catalog, settings))
                .RunAsync(new RunOptions { InputPath = gifs, Jobs = 2, TempRoot = dir.File("tmp") }, plan, CancellationToken.None);
            Assert.Equal(16, summary.RunsValid);
            Assert.Equal(0, summary.RunsError + summary.RunsCorrupted);
        }

        await using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT r.output_size_bytes, r.validation_status, r.metrics_json, r.tool_versions, t.family
            FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id JOIN tools t ON t.name = 'fakecopy-lossy'
            WHERE p.identifier = 'none-frame|fakecopy-color|fakecopy-lossy'
            """;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            Assert.Equal(new FileInfo(source).Length, reader.GetInt64(0)); // FakeTool copied the source
            Assert.Equal("valid", reader.GetString(1));
            Assert.Contains("\"ssim\":1", reader.GetString(2)); // identical frames
            Assert.Contains("\"fakecopy-lossy\":\"0.0-fake\"", reader.GetString(3));
            Assert.Equal("fakecopy", reader.GetString(4));
        }
        Assert.Equal(4, rows);
    }
}
