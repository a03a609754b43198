namespace GifLab.Core.Model;

/// <summary>A frame's image-descriptor rectangle on the logical screen (GIF89a §20), in pixels.</summary>
public readonly record struct FrameRect(int X, int Y, int Width, int Height);
