using System.Text.Json;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// Issue #19 item 7 through a real <c>giflab run</c>: six 7 KB GIFs each declaring 300 frames of 8192² used to take the
/// run to ~5 GB of RSS (every decode allocated canvases up to the 2 GiB limit, jobs + 1 at once). Now each fails at
/// once with <c>decode:LimitExceeded</c> and the run stays small.
/// </summary>
public class MemoryBombTests(ITestOutputHelper output)
{
    [Fact]
    public void SixFrameBombs_RecordedAsLimitExceeded_PeakRssStaysSmall()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var input = Directory.CreateDirectory(box.PathOf("in")).FullName;
        for (var i = 0; i < 6; i++)
        {
            var bytes = Bomb(delayCs: i + 1); // distinct contents, not duplicates
            File.WriteAllBytes(Path.Combine(input, $"bomb{i}.gif"), bytes);
        }
        var db = box.PathOf("runs.db");
        var profile = box.PathOf("profile.json");
        var (code, stdout, stderr) = box.Run(TimeSpan.FromMinutes(3),
            "run", input, "--db", db, "--engines", "animately", "--levels", "0", "--colors", "256", "--jobs", "4", "--profile", profile);
        output.WriteLine(stdout + stderr);
        // Every GIF undecodable → the input error (issue #20: a folder of only undecodable GIFs exits 6, README).
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Equal(6, Sandbox.Scalar(db, "SELECT count(*) FROM failures WHERE error_type = 'decode:LimitExceeded';"));
        using var doc = JsonDocument.Parse(File.ReadAllText(profile));
        var peak = doc.RootElement.GetProperty("peak_rss_bytes").GetInt64();
        output.WriteLine($"peak RSS {peak / (1 << 20)} MiB");
        Assert.True(peak < 600L << 20, $"peak RSS {peak / (1 << 20)} MiB");
    }

    /// <summary>An 8192² canvas with 300 one-pixel images (~7 KB), built byte by byte.</summary>
    private static byte[] Bomb(int delayCs)
    {
        var b = new List<byte>();
        b.AddRange("GIF89a"u8.ToArray());
        b.AddRange([0x00, 0x20, 0x00, 0x20, 0x80, 0, 0]); // 8192 × 8192, 2-colour global table
        b.AddRange([0, 0, 0, 255, 255, 255]);
        for (var i = 0; i < 300; i++)
        {
            b.AddRange([0x21, 0xF9, 4, 0, (byte)delayCs, 0, 0, 0]);
            b.AddRange([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // 1×1 image at (0, 0)
            b.AddRange([2, 2, 0x4C, 0x01, 0]);               // LZW: clear, index 1, end
        }
        b.Add(0x3B);
        return b.ToArray();
    }
}
