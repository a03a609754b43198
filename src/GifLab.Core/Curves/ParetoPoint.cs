namespace GifLab.Core.Curves;

/// <summary>A candidate for the size/quality frontier: <paramref name="Index"/> points back into the caller's list.</summary>
public readonly record struct ParetoPoint(double Size, double Quality, int Index);
