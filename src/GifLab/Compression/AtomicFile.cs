namespace GifLab.Compression;

/// <summary>Writes a file so that readers see the old file or the whole new one, never a part: a temp file in the same
/// folder, flushed to disk, then renamed over the destination.</summary>
internal static class AtomicFile
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> atomically (creating its folder).</summary>
    public static void Copy(string source, string destination) => Write(destination, to =>
    {
        using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read);
        from.CopyTo(to);
    });

    /// <summary>Writes text to <paramref name="destination"/> atomically.</summary>
    public static void WriteAllText(string destination, string text) => Write(destination, to =>
    {
        using var w = new StreamWriter(to, leaveOpen: true);
        w.Write(text);
    });

    /// <summary>The one temp-file-then-rename sequence: <paramref name="fill"/> writes the temp file, which is flushed to disk
    /// and renamed over the destination; the temp file never outlives a failure.</summary>
    private static void Write(string destination, Action<FileStream> fill)
    {
        var full = Path.GetFullPath(destination);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var to = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fill(to);
                to.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
