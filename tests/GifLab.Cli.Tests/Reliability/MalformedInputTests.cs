using System.Security.Cryptography;
using System.Text.Json;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// <c>giflab run</c> over folders of malformed and edge-case GIFs: every file ends as a processed GIF or a failure with
/// a typed reason (decode:Kind, file:not-a-gif, …), nothing crashes or hangs, memory stays bounded, bad GIFs are copied
/// to --quarantine and the originals are never modified. The committed copies (testdata/gifs) run in the regular suite;
/// ../shared/corpus/{malformed,edge} run when present.
/// </summary>
public class MalformedInputTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private const long PeakRssLimit = 3L << 30; // decoder limits: ≤ 2 GiB of frames for one GIF, at most jobs + 1 GIFs live

    [Fact]
    public void CommittedTestGifs_EveryFileProcessedOrTypedFailure_OriginalsUnchanged()
        => RunOver(Path.Combine(CliRunner.RepoRoot, "testdata", "gifs"));

    [Fact]
    public void SharedCorpus_MalformedAndEdge_EveryFileProcessedOrTypedFailure()
    {
        var corpus = Path.GetFullPath(Path.Combine(CliRunner.RepoRoot, "..", "shared", "corpus"));
        if (!Directory.Exists(Path.Combine(corpus, "malformed")))
        {
            output.WriteLine($"SKIPPED: {corpus} is absent (a plain clone has no ../shared)");
            return;
        }
        RunOver(Path.Combine(corpus, "malformed"));
        RunOver(Path.Combine(corpus, "edge"));
    }

    private void RunOver(string input)
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var before = Sandbox.HashTree(input);
        var db = box.PathOf("runs.db");
        var quarantine = box.PathOf("quarantine");
        var profile = box.PathOf("profile.json");
        var (code, stdout, stderr) = box.Run(Limit, "run", input, "--db", db, "--engines", "animately", "--levels", "40",
            "--colors", "256", "--quarantine", quarantine, "--profile", profile, "--timeout", "20");
        Assert.True(code is ExitCodes.Ok or ExitCodes.ItemFailures, $"exit {code}: {stderr}");
        Assert.DoesNotContain("unexpected error", stderr);

        var gifs = Sandbox.Query(db, "SELECT sha256, decode_status, id FROM gifs;").ToDictionary(r => (string)r[0]!, r => ((string)r[1]!, (long)r[2]!));
        var decodeFailures = Sandbox.Query(db, "SELECT gif_id, error_type FROM failures WHERE gif_id IS NOT NULL AND pipeline_id IS NULL;")
            .ToDictionary(r => (long)r[0]!, r => (string)r[1]!);
        var fileFailures = Sandbox.Query(db, "SELECT file_path, error_type FROM failures WHERE gif_id IS NULL;")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);
        var quarantined = Directory.Exists(quarantine) ? Directory.GetFiles(quarantine).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal) : [];
        var (processed, typed) = (0, new Dictionary<string, int>(StringComparer.Ordinal));
        foreach (var path in Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(p => p.EndsWith(".gif", StringComparison.OrdinalIgnoreCase)))
        {
            var bytes = File.ReadAllBytes(path);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            string outcome;
            if (gifs.TryGetValue(sha, out var g) && g.Item1 == "ok")
            {
                outcome = "processed";
                processed++;
            }
            else if (gifs.TryGetValue(sha, out g))
            {
                Assert.True(decodeFailures.TryGetValue(g.Item2, out var type), $"{path}: decode error without a failure row");
                Assert.Matches("^decode:[A-Za-z]+$", type);
                Assert.Contains(quarantined, q => q!.StartsWith(sha[..12], StringComparison.Ordinal));
                outcome = type;
            }
            else
            {
                Assert.True(fileFailures.TryGetValue(path, out var type), $"{path}: neither processed nor recorded as a failure");
                Assert.Matches("^file:[a-z-]+$", type);
                outcome = type;
            }
            if (outcome != "processed") typed[outcome] = typed.GetValueOrDefault(outcome) + 1;
        }
        // Every stored run carries a status; every non-valid one a typed failure.
        Assert.Equal(0, Sandbox.Scalar(db, """
            SELECT count(*) FROM compression_runs r WHERE r.validation_status <> 'valid' AND NOT EXISTS (SELECT 1 FROM failures f
              WHERE f.gif_id = r.gif_id AND f.pipeline_id = r.pipeline_id AND f.param_preset_id = r.param_preset_id AND f.error_type LIKE '%:%');
            """));
        var peak = JsonDocument.Parse(File.ReadAllText(profile)).RootElement.GetProperty("peak_rss_bytes").GetInt64();
        output.WriteLine($"{input}: {before.Count} files; {processed} processed; failures: " +
                         string.Join(", ", typed.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value}")) +
                         $"; quarantined {quarantined.Count}; peak RSS {peak >> 20} MiB");
        Assert.True(peak < PeakRssLimit, $"peak RSS {peak >> 20} MiB");
        Assert.Equal(before, Sandbox.HashTree(input)); // originals untouched
    }
}
