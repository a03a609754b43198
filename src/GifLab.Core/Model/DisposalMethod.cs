namespace GifLab.Core.Model;

/// <summary>GIF89a §23 Graphic Control Extension disposal method.</summary>
public enum DisposalMethod : byte
{
    /// <summary>0: no disposal specified (treated as <see cref="DoNotDispose"/>).</summary>
    Unspecified = 0,
    /// <summary>1: leave the frame in place.</summary>
    DoNotDispose = 1,
    /// <summary>2: restore the frame rectangle to the background (transparent, as browsers do).</summary>
    RestoreToBackground = 2,
    /// <summary>3: restore the canvas to what it was before the frame was drawn.</summary>
    RestoreToPrevious = 3,
}
