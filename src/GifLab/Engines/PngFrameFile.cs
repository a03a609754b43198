namespace GifLab.Engines;

/// <summary>A PNG the executor must write before running the step: frame <paramref name="FrameIndex"/> of the step's input.</summary>
public sealed record PngFrameFile(string Path, int FrameIndex);
