using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>The original GIF of a run: its path, identity and decoded frames (decoded once for all its runs).</summary>
public sealed record SourceGif(string Path, string Sha256, long FileSizeBytes, FrameSequence Frames);
