using System.Runtime.InteropServices;
using System.Text;
using Xunit.Abstractions;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// Hostile names and folder shapes through a real <c>giflab run</c>: every file ends processed or as a typed failure,
/// nothing is interpreted by a shell, and the engine receives each path verbatim (the animately stand-in records its
/// argv into GIFLAB_FAKE_ARGV_DIR).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public partial class HostilePathTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private static readonly string[] HostileNames =
    [
        "-rf.gif", "--output=x.gif", "with space.gif", "quote'single.gif", "quote\"double.gif", "$(touch pwned).gif",
        "`touch pwned2`.gif", "semi;colon&amp|pipe.gif", "new\nline.gif", "tab\tname.gif", "ünïcødé-名前.gif", "*.gif",
    ];

    [Fact]
    public void HostileNames_SymlinkLoops_Fifo_Dangling_AndBadUtf8_AreProcessedOrExplained_ArgvVerbatim()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var argvDir = Directory.CreateDirectory(box.PathOf("argv")).FullName;
        box.Env["GIFLAB_FAKE_ARGV_DIR"] = argvDir;
        var input = Directory.CreateDirectory(box.PathOf("in")).FullName;
        var source = File.ReadAllBytes(Path.Combine(CliRunner.RepoRoot, "testdata", "engines", "animated-red-blue.gif"));
        var expected = new List<string>();
        for (var i = 0; i < HostileNames.Length; i++)
        {
            // Distinct contents (a one-byte comment extension before the trailer; data after the trailer would make the
            // stand-in's verbatim copy corrupted): each name is its own GIF, not a duplicate.
            var path = Path.Combine(input, HostileNames[i]);
            File.WriteAllBytes(path, [.. source[..^1], 0x21, 0xFE, 1, (byte)i, 0, 0x3B]);
            expected.Add(path);
        }
        // Symlink loops: a folder link to its parent and to itself; a dangling file link; a FIFO (reading it would block).
        var sub = Directory.CreateDirectory(Path.Combine(input, "sub")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(sub, "loop-up"), "..");
        Directory.CreateSymbolicLink(Path.Combine(sub, "loop-self"), ".");
        File.CreateSymbolicLink(Path.Combine(input, "dangling.gif"), "/nonexistent/nothing.gif");
        var fifo = Path.Combine(input, "pipe.gif");
        Assert.Equal(0, MkFifo(fifo, Convert.ToUInt32("644", 8)));
        // A name that is not valid UTF-8 (bytes FF FE), created through libc since .NET strings cannot name it.
        CreateRawName(input, [(byte)'b', 0xFF, 0xFE, (byte)'.', (byte)'g', (byte)'i', (byte)'f'], [.. source, 0xAA]);
        var before = Sandbox.HashTree(input);

        // A hostile temp folder too: the engine's --output (and the safe copy of an unsafe source) live under it.
        var hostileTemp = box.PathOf("tmp dir 'q' \"dq\" $(touch pwned) `touch pwned2` -x");
        var (code, stdout, stderr) = box.Run(Limit, "run", input, "--db", box.PathOf("runs.db"), "--engines", "animately",
            "--levels", "40", "--colors", "256", "--jobs", "2", "--temp-dir", hostileTemp);
        output.WriteLine(stdout + stderr);
        Assert.Equal(ExitCodes.ItemFailures, code); // the rejected files are item failures, the run itself finished
        var db = box.PathOf("runs.db");

        // Every hostile name: a gifs row with its exact path, all runs valid.
        var stored = Sandbox.Query(db, "SELECT file_path FROM gifs;").Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        foreach (var path in expected) Assert.Contains(path, stored);
        Assert.Equal(0, Sandbox.Scalar(db, "SELECT count(*) FROM compression_runs WHERE validation_status <> 'valid';"));

        // The engine saw each path as one argument, byte for byte. A source path with characters outside
        // [A-Za-z0-9._/-] (or a "/-") is never handed to a tool at all: PipelineExecutor copies it to _source.gif in the
        // run's work folder first, so here every --input is such a copy (or a previous step's output) under the hostile
        // temp folder.
        var argvs = Directory.GetFiles(argvDir).Select(f => File.ReadAllText(f, Encoding.UTF8).Split('\0')).ToList();
        Assert.True(argvs.Count >= expected.Count, $"{argvs.Count} engine calls recorded for {expected.Count} GIFs");
        foreach (var argv in argvs)
        {
            Assert.Equal(["--input", "--output"], new[] { argv[0], argv[2] });
            Assert.StartsWith(hostileTemp + "/giflab-run-", argv[1], StringComparison.Ordinal);
            Assert.Matches(@"/(_source|_step\d+_compressed)\.gif$", argv[1]); // the safe copy, or an earlier step's output
            Assert.StartsWith(hostileTemp + "/giflab-run-", argv[3], StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetDirectories(hostileTemp, "giflab-run-*")); // and the run's temp folder is gone

        // Nothing was executed by a shell.
        foreach (var dir in new[] { box.Dir, input, argvDir, Path.GetTempPath() })
        {
            Assert.False(File.Exists(Path.Combine(dir, "pwned")), $"{dir}/pwned exists: a name was run by a shell");
            Assert.False(File.Exists(Path.Combine(dir, "pwned2")), $"{dir}/pwned2 exists: a name was run by a shell");
        }

        // The FIFO, the (dangling) link and the non-UTF-8 name are typed failures with a reason, recorded by path.
        var failures = Sandbox.Query(db, "SELECT file_path, error_type, error_message FROM failures WHERE file_path IS NOT NULL;")
            .ToDictionary(r => (string)r[0]!, r => ((string)r[1]!, (string)r[2]!), StringComparer.Ordinal);
        Assert.Equal("file:not-a-gif", failures[fifo].Item1);
        Assert.Contains("not a regular file", failures[fifo].Item2);
        Assert.Equal("file:symlink", failures[Path.Combine(input, "dangling.gif")].Item1); // links are never followed
        var bad = Assert.Single(failures, f => f.Key.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Equal("file:unreadable", bad.Value.Item1);
        Assert.Contains("not valid UTF-8", bad.Value.Item2);

        Assert.Equal(before, Sandbox.HashTree(input)); // inputs untouched
    }

    [Fact]
    public void UnreadableFile_IsRecordedAsUnreadable_UnlessRunningAsRoot()
    {
        using var box = new Sandbox().WithAnimatelyStandIn();
        var path = box.CopyGif("engines/animated-red-blue.gif", "in", "locked.gif");
        File.SetUnixFileMode(path, UnixFileMode.None);
        var (code, stdout, stderr) = box.Run(Limit, "run", box.PathOf("in"), "--db", box.PathOf("runs.db"), "--engines", "animately", "--levels", "40", "--colors", "256");
        output.WriteLine(stdout + stderr);
        if (Environment.UserName == "root" || GetEuid() == 0)
        {
            // Root ignores file permissions: the file is simply processed. The unreadable path is covered by the
            // dangling symlink and the non-UTF-8 name above, which fail to open the same way.
            output.WriteLine("running as root: mode 000 does not stop reading; checked that the run processes the file");
            Assert.Equal(ExitCodes.Ok, code);
            return;
        }
        Assert.Equal(ExitCodes.ItemFailures, code);
        Assert.Equal("file:unreadable", Sandbox.Query(box.PathOf("runs.db"), "SELECT error_type FROM failures;").Single()[0]);
    }

    private static void CreateRawName(string folder, byte[] name, byte[] content)
    {
        var path = Encoding.UTF8.GetBytes(folder + "/").Concat(name).Append((byte)0).ToArray();
        var fd = Creat(path, Convert.ToUInt32("644", 8));
        Assert.True(fd >= 0, $"creat failed: errno {Marshal.GetLastPInvokeError()}");
        Assert.Equal(content.Length, (int)Write(fd, content, content.Length));
        Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "creat", SetLastError = true)]
    private static partial int Creat(byte[] path, uint mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}
