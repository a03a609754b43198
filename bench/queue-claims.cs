#!/usr/bin/env -S dotnet run
// Claims/second of the PostgreSQL work queue with a no-op workload (driven by bench/queue-claims.sh).
//   setup   CONNSTR SCHEMA ITEMS          fresh schema with ITEMS queued run keys
//   drop    CONNSTR SCHEMA                drops the schema
//   claim   CONNSTR SCHEMA BATCH IDSFILE START_UNIX_MS
//           registers a worker, waits until START_UNIX_MS, then claims BATCH items at a time and completes them until
//           the queue is empty; writes claimed ids to IDSFILE and prints "claims elapsed_ms" on stdout.
#:project ../src/GifLab/GifLab.csproj
using System.Diagnostics;
using System.Globalization;
using GifLab.Core.Model;
using GifLab.Queue;
using GifLab.Storage.Postgres;
using Npgsql;

var (mode, cs, schema) = (args[0], args[1], args[2]);
if (mode == "drop")
{
    await using var admin = new NpgsqlConnection(cs);
    await admin.OpenAsync();
    await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", admin);
    await drop.ExecuteNonQueryAsync();
    return;
}
if (mode == "setup")
{
    var items = int.Parse(args[3], CultureInfo.InvariantCulture);
    await using (var admin = new NpgsqlConnection(cs))
    {
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", admin);
        await drop.ExecuteNonQueryAsync();
    }
    await using var store = new PostgresResultStore(cs, schema);
    await store.InitializeAsync(default);
    var pipeline = new PipelineId("none-frame", "none-color", "gifsicle-lossy");
    var presets = ParamPreset.DefaultLossyLevels.Select(l => new ParamPreset(l, 256, 1.0)).ToList();
    var ids = await store.EnsurePipelinesAndPresetsAsync([pipeline], presets, default);
    var keys = Enumerable.Range(0, (items + presets.Count - 1) / presets.Count)
        .SelectMany(g => presets.Select(p => new WorkKey(g.ToString("x64", CultureInfo.InvariantCulture), null, ids.Pipelines[pipeline], ids.Presets[p])))
        .Take(items);
    var added = await new PostgresWorkQueue(store).EnqueueAsync(keys, default);
    Console.WriteLine(added);
    return;
}

var batch = int.Parse(args[3], CultureInfo.InvariantCulture);
var idsFile = args[4];
var start = long.Parse(args[5], CultureInfo.InvariantCulture);
await using (var store = new PostgresResultStore(cs, schema))
{
    var queue = new PostgresWorkQueue(store);
    var worker = await queue.RegisterWorkerAsync(default);
    await queue.HeartbeatAsync(worker, default); // warm the pool
    var wait = start - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    if (wait > 0) await Task.Delay((int)wait);
    var claimed = new List<long>();
    var sw = Stopwatch.StartNew();
    while (true)
    {
        var claims = await queue.ClaimAsync(worker, batch, default);
        if (claims.Count == 0) break;
        var result = await queue.CompleteAsync(claims, default);
        if (result.Lost.Count > 0) throw new InvalidOperationException($"lost {result.Lost.Count} claims with no contention from expiry");
        foreach (var c in claims) claimed.Add(c.Id);
    }
    sw.Stop();
    await File.WriteAllLinesAsync(idsFile, claimed.Select(i => i.ToString(CultureInfo.InvariantCulture)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{claimed.Count} {sw.Elapsed.TotalMilliseconds:0}"));
}
