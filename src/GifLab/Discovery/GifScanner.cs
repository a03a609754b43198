using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace GifLab.Discovery;

/// <summary>
/// Walks an input folder recursively for <c>*.gif</c> (case-insensitive), reads each file once, hashes it (SHA-256)
/// and yields every distinct content once (the first path in sorted walk order wins). Unreadable files, files that
/// are not GIFs and files over the size limit are reported as <see cref="RejectedFile"/>. One rule for symbolic links
/// met while walking a folder: they are not followed, folders and files alike, so nothing outside the input folder is
/// read and link loops cannot occur. A linked folder is skipped; a linked <c>*.gif</c> is reported as rejected
/// (<c>symlink</c>) so the user sees why it was left out. INPUT itself may be a link (the user named it).
/// </summary>
public sealed class GifScanner(long maxFileBytes = 512L * 1024 * 1024)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _firstPathBySha = new(StringComparer.Ordinal);

    public List<RejectedFile> Rejected { get; } = [];
    public List<DuplicateFile> Duplicates { get; } = [];

    /// <summary>Every candidate path (sorted, stable), without reading contents.</summary>
    public static IReadOnlyList<string> FindCandidates(string root, List<RejectedFile>? rejected = null)
    {
        var results = new List<string>();
        if (File.Exists(root))
        {
            results.Add(Path.GetFullPath(root));
            return results;
        }
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(root));
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            string[] files, dirs;
            try
            {
                files = Directory.GetFiles(dir);
                dirs = Directory.GetDirectories(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                rejected?.Add(new RejectedFile(dir, "unreadable", $"cannot list folder: {e.Message}"));
                continue;
            }
            Array.Sort(files, StringComparer.Ordinal);
            Array.Sort(dirs, StringComparer.Ordinal);
            foreach (var f in files)
            {
                if (!f.EndsWith(".gif", StringComparison.OrdinalIgnoreCase)) continue;
                if (IsSymlink(f))
                {
                    rejected?.Add(new RejectedFile(f, "symlink",
                        "symbolic link not followed: GifLab reads only files inside the input folder (links to files and folders alike are skipped); copy the GIF in, or pass the link itself as INPUT"));
                    continue;
                }
                results.Add(f);
            }
            for (var i = dirs.Length - 1; i >= 0; i--)
            {
                // Do not descend into symlinked folders: avoids loops and double counting.
                if (new DirectoryInfo(dirs[i]).LinkTarget is not null) continue;
                pending.Push(dirs[i]);
            }
        }
        results.Sort(StringComparer.Ordinal);
        return results;
    }

    private static bool IsSymlink(string path)
    {
        try { return new FileInfo(path).LinkTarget is not null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; } // read later, rejected there
    }

    /// <summary>Reads and hashes every candidate; yields new distinct contents.</summary>
    public async IAsyncEnumerable<DiscoveredGif> ScanAsync(string root, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var path in FindCandidates(root, Rejected))
        {
            ct.ThrowIfCancellationRequested();
            var gif = await ReadAsync(path, ct).ConfigureAwait(false);
            if (gif is not null) yield return gif;
        }
    }

    /// <summary>Reads one file; null when rejected or a duplicate (recorded in <see cref="Rejected"/> / <see cref="Duplicates"/>).</summary>
    public async Task<DiscoveredGif?> ReadAsync(string path, CancellationToken ct)
    {
        if (!_seen.Add(path)) return null;
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > maxFileBytes)
            {
                Rejected.Add(new RejectedFile(path, "too-large", $"file is {info.Length} bytes, over the {maxFileBytes}-byte limit"));
                return null;
            }
            if (InputFile.KindOf(path) is var kind && kind is not (InputFileKind.Regular or InputFileKind.Unknown or InputFileKind.Missing))
            {
                // A FIFO would block the read for ever, a device may never end: refused unread.
                Rejected.Add(new RejectedFile(path, "not-a-gif", $"{NotARegularFileException.Describe(kind)}, not a regular file; only regular files are read"));
                return null;
            }
            if (info.Length == 0)
            {
                // Also FIFOs and devices (size 0): reading a FIFO would block for ever, a device may never end.
                Rejected.Add(new RejectedFile(path, "not-a-gif", "file is empty or not a regular file"));
                return null;
            }
            bytes = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A name that is not valid UTF-8 reaches .NET with U+FFFD in place of the bad bytes and cannot be opened.
            Rejected.Add(new RejectedFile(path, "unreadable", path.Contains('\uFFFD', StringComparison.Ordinal)
                ? $"the file name is not valid UTF-8, which .NET cannot open; rename the file ({e.Message})" : e.Message));
            return null;
        }
        if (!LooksLikeGif(bytes))
        {
            Rejected.Add(new RejectedFile(path, "not-a-gif", bytes.Length == 0 ? "file is empty" : "missing GIF87a/GIF89a signature"));
            return null;
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (_firstPathBySha.TryGetValue(sha, out var first))
        {
            Duplicates.Add(new DuplicateFile(path, first, sha));
            return null;
        }
        _firstPathBySha[sha] = path;
        return new DiscoveredGif(path, sha, bytes);
    }

    /// <summary>GIF signature check (GIF89a §17 header).</summary>
    public static bool LooksLikeGif(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 6 && bytes[0] == 'G' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == '8'
        && (bytes[4] == '7' || bytes[4] == '9') && bytes[5] == 'a';
}
