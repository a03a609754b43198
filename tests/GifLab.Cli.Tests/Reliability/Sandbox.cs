using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace GifLab.Cli.Tests.Reliability;

/// <summary>
/// A temp folder for one reliability test: runs the built CLI as a child process with extra environment variables,
/// links FakeTool's app host as an "animately" stand-in, and reads the resulting database.
/// </summary>
internal sealed class Sandbox : IDisposable
{
    public Sandbox(string? parent = null)
    {
        Dir = parent is null
            ? Directory.CreateTempSubdirectory("giflab-rel-").FullName
            : Directory.CreateDirectory(Path.Combine(parent, "giflab-rel-" + Guid.NewGuid().ToString("N")[..10])).FullName;
    }

    public string Dir { get; }

    public string PathOf(string name) => Path.Combine(Dir, name);

    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static string FakeToolHost
    {
        get
        {
            foreach (var config in new[] { "Release", "Debug" })
            {
                var host = Path.Combine(CliRunner.RepoRoot, "tests", "FakeTool", "bin", config, "net10.0", "FakeTool");
                if (File.Exists(host)) return host;
            }
            throw new InvalidOperationException("FakeTool not built (it is a project reference of GifLab.Cli.Tests).");
        }
    }

    /// <summary>Links FakeTool as <c>animately</c> and points GIFLAB_ANIMATELY_PATH at it.</summary>
    public Sandbox WithAnimatelyStandIn()
    {
        var bin = Directory.CreateDirectory(PathOf("bin")).FullName;
        var link = Path.Combine(bin, "animately");
        if (!File.Exists(link)) File.CreateSymbolicLink(link, FakeToolHost);
        Env["GIFLAB_ANIMATELY_PATH"] = link;
        return this;
    }

    public (int ExitCode, string Stdout, string Stderr) Run(TimeSpan timeout, params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"giflab {string.Join(' ', args)} did not finish in {timeout}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public Process Start(params string[] args) => Start(ownGroup: false, args);

    /// <summary>
    /// Starts the CLI as the leader of a new session and process group (through <c>setsid</c>), like a job a terminal
    /// runs in the foreground: a signal sent to the group (<c>kill -INT -PID</c>, what Ctrl+C does) reaches every
    /// process in it and none of the test's own. The returned process's id is the group id.
    /// </summary>
    public Process StartInOwnGroup(params string[] args) => Start(ownGroup: true, args);

    /// <remarks>
    /// The CLI is started through <c>env --default-signal=INT,QUIT</c> (GNU coreutils ≥ 8.31; it execs, so the process id
    /// stays the CLI's): a test run launched as a background job of a shell without job control (<c>cmd &amp;</c> in a
    /// script) inherits SIGINT and SIGQUIT ignored, the .NET runtime then keeps them ignored as a shell would, and every
    /// SIGINT test would wait in vain (seen as "did not stop within 30 s of SIGINT" only in such whole-suite runs).
    /// </remarks>
    private Process Start(bool ownGroup, string[] args)
    {
        var psi = new ProcessStartInfo("env")
        {
            WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add("--default-signal=INT,QUIT");
        if (ownGroup) psi.ArgumentList.Add("setsid");
        psi.ArgumentList.Add("dotnet");
        psi.ArgumentList.Add(CliRunner.CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>Copies a committed test GIF into <paramref name="folder"/> (created) under <paramref name="name"/>.</summary>
    public string CopyGif(string testdataRelative, string folder, string? name = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Dir, folder)).FullName;
        var target = Path.Combine(dir, name ?? Path.GetFileName(testdataRelative));
        File.Copy(Path.Combine(CliRunner.RepoRoot, "testdata", testdataRelative), target, overwrite: true);
        return target;
    }

    public static List<object?[]> Query(string db, string sql)
    {
        using var conn = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[r.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public static long Scalar(string db, string sql) => Convert.ToInt64(Query(db, sql)[0][0], System.Globalization.CultureInfo.InvariantCulture);

    public static string IntegrityCheck(string db)
    {
        using var conn = new SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check;";
        return (string)cmd.ExecuteScalar()!;
    }

    /// <summary>Runs per lossy level of the animately-standard curve: level → (status, size, error_type, permanent, message, command line).</summary>
    public static Dictionary<long, RunRow> AnimatelyRuns(string db)
    {
        var result = new Dictionary<long, RunRow>();
        foreach (var r in Query(db, """
            SELECT pr.lossy_level, r.validation_status, r.output_size_bytes, f.error_type, f.permanent, f.error_message, f.command_line
            FROM compression_runs r JOIN pipelines p ON p.id = r.pipeline_id JOIN param_presets pr ON pr.id = r.param_preset_id
            LEFT JOIN failures f ON f.gif_id = r.gif_id AND f.pipeline_id = r.pipeline_id AND f.param_preset_id = r.param_preset_id
            WHERE p.identifier LIKE '%animately-standard%';
            """))
            result[(long)r[0]!] = new RunRow((string)r[1]!, r[2] as long?, r[3] as string, r[4] is long perm ? perm == 1 : null, r[5] as string, r[6] as string);
        return result;
    }

    public static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>SHA-256 of every file under a folder (relative path → hash), for before/after comparisons.</summary>
    public static SortedDictionary<string, string> HashTree(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            var info = new FileInfo(f);
            // Skip links and size-0 entries (FIFOs would block the read); names .NET cannot open are listed as such.
            if (info.LinkTarget is not null || !info.Exists || info.Length == 0) continue;
            try { result[Path.GetRelativePath(root, f)] = Sha256Of(f); }
            catch (IOException) { result[Path.GetRelativePath(root, f)] = "(cannot be opened)"; }
        }
        return result;
    }
}

internal sealed record RunRow(string Status, long? SizeBytes, string? ErrorType, bool? Permanent, string? Message, string? CommandLine);
