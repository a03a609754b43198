namespace GifLab.Discovery;

/// <summary>A GIF found by discovery, read once: its bytes and SHA-256 (lower-case hex).</summary>
public sealed record DiscoveredGif(string Path, string Sha256, byte[] Bytes)
{
    public string FileName => System.IO.Path.GetFileName(Path);
    public long FileSizeBytes => Bytes.LongLength;
}

/// <summary>A file that discovery could not use, with a typed reason.</summary>
/// <param name="ErrorType">unreadable, not-a-gif, too-large, symlink-loop, …</param>
public sealed record RejectedFile(string Path, string ErrorType, string Message);

/// <summary>A file whose content equals one already found (only the first path is kept).</summary>
public sealed record DuplicateFile(string Path, string FirstPath, string Sha256);
