using GifLab.Core.Model;
using GifLab.Engines;
using GifLab.Pipelines;
using GifLab.Runs;
using GifLab.Storage;
using GifLab.Storage.Sqlite;

namespace GifLab.Tests.Reliability;

/// <summary>
/// The single writer fails (database locked past the limit, disk full) while many results are still coming: the run
/// must stop promptly with the storage error, not block its workers on the full results channel forever.
/// </summary>
public class WriterFailureTests
{
    [Fact(Timeout = 90_000)]
    public async Task StoreFailsWhileManyRunsArePending_RunStopsWithTheStorageError_InsteadOfHanging()
    {
        using var dir = new TempDir();
        var gifs = Directory.CreateDirectory(dir.File("in")).FullName;
        File.Copy(Path.Combine(Engines.TestEnvironment.RepoRoot, "testdata", "engines", "animated-red-blue.gif"), Path.Combine(gifs, "a.gif"));
        // 2,000 pass-through runs (no external process): far more than the writer's 512-slot channel.
        var pipeline = new PipelineId("none-frame", "none-color", "none-lossy");
        var items = new List<PlannedItem>();
        for (var lossy = 0; lossy <= 100 && items.Count < 2000; lossy++)
            for (var colors = 2; colors <= 256 && items.Count < 2000; colors += 13)
                items.Add(new PlannedItem(pipeline, new ParamPreset(lossy, colors, 1.0)));
        var plan = new RunPlan(items, [], 1, items.Count);
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { SearchPath = "/nonexistent", UseEnvironment = false }, CancellationToken.None);

        await using var store = new FailingSaveStore(new SqliteResultStore(dir.File("runs.db")));
        await store.InitializeAsync(CancellationToken.None);
        var executor = new RunExecutor(store, catalog, new PipelineExecutor(catalog, EngineSettings.Default));
        var run = executor.RunAsync(new RunOptions { InputPath = gifs, Jobs = 2, TempRoot = dir.File("tmp") }, plan, CancellationToken.None);

        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(finished == run, "the run hung after its writer failed");
        var e = await Assert.ThrowsAsync<StorageUnavailableException>(() => run);
        Assert.Contains("simulated", e.Message);
        Assert.True(store.SaveCalls <= 2, $"kept saving after the store failed ({store.SaveCalls} calls)");
    }

    /// <summary>Delegates to a real store, except that saving runs fails as a locked database does.</summary>
    private sealed class FailingSaveStore(IResultStore inner) : GifLab.Tests.Storage.DelegatingResultStore(inner)
    {
        public int SaveCalls;
        public override Task SaveRunsAsync(IReadOnlyList<RunRecord> runs, CancellationToken ct)
        {
            Interlocked.Increment(ref SaveCalls);
            throw new StorageUnavailableException(Location, "simulated: database is locked by another process");
        }
    }
}
