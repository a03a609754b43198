namespace GifLab.Discovery;

/// <summary>A file that discovery could not use, with a typed reason.</summary>
/// <param name="ErrorType">unreadable, not-a-gif, too-large, symlink-loop, …</param>
public sealed record RejectedFile(string Path, string ErrorType, string Message);
