using GifLab.Discovery;

namespace GifLab.Tests.Discovery;

public class GifScannerTests
{
    private static readonly byte[] MinimalGif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    [Fact]
    public async Task Scan_FindsGifsRecursively_CaseInsensitive_DedupesByContent_AndRejectsNonGifs()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("sub/deeper"));
        await File.WriteAllBytesAsync(dir.File("a.gif"), MinimalGif);
        await File.WriteAllBytesAsync(dir.File("sub/deeper/COPY.GIF"), MinimalGif);                 // same content, upper-case extension
        await File.WriteAllBytesAsync(dir.File("sub/other.Gif"), [.. MinimalGif, 0x00]);              // different content
        await File.WriteAllTextAsync(dir.File("sub/fake.gif"), "not a gif at all");
        await File.WriteAllBytesAsync(dir.File("empty.gif"), []);
        await File.WriteAllTextAsync(dir.File("notes.txt"), "ignored");

        var scanner = new GifScanner();
        var found = new List<DiscoveredGif>();
        await foreach (var g in scanner.ScanAsync(dir.Path, default)) found.Add(g);

        Assert.Equal(2, found.Count);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(MinimalGif)), found[0].Sha256);
        var dup = Assert.Single(scanner.Duplicates);
        Assert.EndsWith("COPY.GIF", dup.Path);
        Assert.Equal(2, scanner.Rejected.Count);
        Assert.All(scanner.Rejected, r => Assert.Equal("not-a-gif", r.ErrorType));
    }

    [Fact]
    public void FindCandidates_DoesNotFollowSymlinkLoops()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("a"));
        File.WriteAllBytes(dir.File("a/x.gif"), MinimalGif);
        Directory.CreateSymbolicLink(dir.File("a/loop"), dir.Path);
        var found = GifScanner.FindCandidates(dir.Path);
        Assert.Single(found);
    }

    [Fact]
    public void FindCandidates_FollowsNoLinks_FilesAndFoldersAlike_ButTheInputItselfMayBeALink()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        Directory.CreateDirectory(dir.File("outside"));
        File.WriteAllBytes(dir.File("in/real.gif"), MinimalGif);
        File.WriteAllBytes(dir.File("outside/secret.gif"), [.. MinimalGif, 1]);
        File.CreateSymbolicLink(dir.File("in/to-outside.gif"), dir.File("outside/secret.gif"));
        File.CreateSymbolicLink(dir.File("in/to-inside.gif"), dir.File("in/real.gif"));
        Directory.CreateSymbolicLink(dir.File("in/linked-folder"), dir.File("outside"));
        var rejected = new List<RejectedFile>();
        var found = GifScanner.FindCandidates(dir.File("in"), rejected);
        Assert.Equal([dir.File("in/real.gif")], found);
        Assert.Equal([dir.File("in/to-inside.gif"), dir.File("in/to-outside.gif")], rejected.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.All(rejected, r => Assert.Equal("symlink", r.ErrorType));
        // Named as INPUT, a link is what the user asked for.
        Assert.Equal([Path.GetFullPath(dir.File("in/to-outside.gif"))], GifScanner.FindCandidates(dir.File("in/to-outside.gif")));
        Assert.Single(GifScanner.FindCandidates(dir.File("in/linked-folder")));
    }

    [Fact]
    public async Task Scan_HostileFileNames_AreRead()
    {
        using var dir = new TempDir();
        string[] names = ["-leading-dash.gif", "with space.gif", "quote'\"s.gif", "$(touch pwned).gif", "new\nline.gif", "ünïcødé.gif"];
        for (var i = 0; i < names.Length; i++) await File.WriteAllBytesAsync(dir.File(names[i]), [.. MinimalGif, (byte)i]);
        var scanner = new GifScanner();
        var found = new List<DiscoveredGif>();
        await foreach (var g in scanner.ScanAsync(dir.Path, default)) found.Add(g);
        Assert.Equal(names.Length, found.Count);
        Assert.False(File.Exists(dir.File("pwned")));
    }

    [Fact]
    public async Task Scan_UnreadableFile_IsRejectedNotFatal()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName == "root") return; // root reads anything; the permission case is covered on non-root runs
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("locked.gif"), MinimalGif);
        File.SetUnixFileMode(dir.File("locked.gif"), UnixFileMode.None);
        var scanner = new GifScanner();
        await foreach (var _ in scanner.ScanAsync(dir.Path, default)) { }
        Assert.Equal("unreadable", Assert.Single(scanner.Rejected).ErrorType);
    }
}
