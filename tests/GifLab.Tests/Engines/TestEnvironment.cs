using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Tests.Engines;

/// <summary>Locates the repository, the built FakeTool and testdata; makes temp dirs and synthetic frame sequences.</summary>
internal static class TestEnvironment
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GifLab.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("GifLab.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    private static string FakeToolDir
    {
        get
        {
            foreach (var config in new[] { Configuration, "Release", "Debug" })
            {
                var dir = Path.Combine(RepoRoot, "tests", "FakeTool", "bin", config, "net10.0");
                if (File.Exists(Path.Combine(dir, "FakeTool.dll"))) return dir;
            }
            throw new InvalidOperationException("FakeTool.dll not built (it is a project reference of GifLab.Tests).");
        }
    }

    public static string FakeToolDll => Path.Combine(FakeToolDir, "FakeTool.dll");

    /// <summary>The FakeTool native app host (runs without "dotnet").</summary>
    public static string FakeToolHost => Path.Combine(FakeToolDir, "FakeTool");

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p) ? p : "dotnet";

    /// <summary>An invocation of "dotnet FakeTool.dll args…".</summary>
    public static ToolInvocation Fake(params string[] args) => new(Dotnet, [FakeToolDll, .. args]);

    public static string TestData(string name) => Path.Combine(RepoRoot, "testdata", "engines", name);

    public static TempDir NewTempDir(string? suffix = null) => new(suffix);

    /// <summary>A synthetic sequence: solid frames of distinct colours with the given delays and loop count.</summary>
    public static FrameSequence Synthetic(int width, int height, int[] delaysMs, int loopCount)
    {
        var frames = new List<Frame>();
        for (var i = 0; i < delaysMs.Length; i++)
        {
            var rgba = new byte[width * height * 4];
            for (var p = 0; p < rgba.Length; p += 4)
            {
                rgba[p] = (byte)(40 * i);
                rgba[p + 1] = (byte)(255 - 40 * i);
                rgba[p + 2] = (byte)(p / 4 % width * 255 / Math.Max(1, width - 1));
                rgba[p + 3] = 255;
            }
            frames.Add(new Frame(rgba, delaysMs[i], DisposalMethod.DoNotDispose, new FrameRect(0, 0, width, height)));
        }
        return new FrameSequence(width, height, frames, GifInfo.Synthetic with { LoopCount = loopCount });
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string? suffix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "giflab-test-" + Guid.NewGuid().ToString("N")[..12] + (suffix ?? ""));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
