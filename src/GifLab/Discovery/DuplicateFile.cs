namespace GifLab.Discovery;

/// <summary>A file whose content equals one already found (only the first path is kept).</summary>
public sealed record DuplicateFile(string Path, string FirstPath, string Sha256);
