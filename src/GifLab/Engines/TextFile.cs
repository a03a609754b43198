namespace GifLab.Engines;

/// <summary>A text file the executor must write before running the step.</summary>
public sealed record TextFile(string Path, string Content);
