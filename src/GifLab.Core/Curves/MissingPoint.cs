namespace GifLab.Core.Curves;

/// <summary>A grid point without a measured value, with the reason (never interpolated).</summary>
/// <param name="X">Lossy level or palette size.</param>
/// <param name="Reason">
/// The failure recorded for that run (<c>error_type: message</c>) when known; otherwise <c>not run</c>, or
/// <c>validation_status=…</c> for a stored run that did not produce a valid output, or <c>empty output</c> for a valid run of 0 bytes.
/// </param>
public sealed record MissingPoint(int X, string Reason);
