namespace GifLab.Discovery;

/// <summary>A GIF found by discovery, read once: its bytes and SHA-256 (lower-case hex).</summary>
public sealed record DiscoveredGif(string Path, string Sha256, byte[] Bytes)
{
    public string FileName => System.IO.Path.GetFileName(Path);
    public long FileSizeBytes => Bytes.LongLength;
}
