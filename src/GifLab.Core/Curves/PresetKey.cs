namespace GifLab.Core.Curves;

/// <summary>A run key by names and values (pipeline identifier and preset), independent of database ids.</summary>
public readonly record struct PresetKey(string Pipeline, int LossyLevel, int ColorCount, double FrameRatio);
