namespace GifLab.Core.Decoding;

/// <summary>
/// Constants of the GIF89a specification (W3C/CompuServe "Graphics Interchange Format, Version 89a", 1990).
/// Section numbers refer to that document.
/// </summary>
internal static class GifConstants
{
    /// <summary>§17 Header: "GIF" signature, followed by the 3-byte version.</summary>
    public static ReadOnlySpan<byte> Signature => "GIF"u8;

    /// <summary>§17 version "87a".</summary>
    public static ReadOnlySpan<byte> Version87a => "87a"u8;

    /// <summary>§17 version "89a".</summary>
    public static ReadOnlySpan<byte> Version89a => "89a"u8;

    /// <summary>§17 header length (signature + version).</summary>
    public const int HeaderLength = 6;

    /// <summary>§18 Logical Screen Descriptor length.</summary>
    public const int LogicalScreenDescriptorLength = 7;

    /// <summary>§18/§20 packed field: colour table present flag (bit 7).</summary>
    public const byte ColorTableFlag = 0x80;

    /// <summary>§18/§20 packed field: size of colour table = 2^(1 + (packed &amp; 7)).</summary>
    public const byte ColorTableSizeMask = 0x07;

    /// <summary>§20 Image Descriptor packed field: interlace flag (bit 6).</summary>
    public const byte InterlaceFlag = 0x40;

    /// <summary>§20 Image Separator (',').</summary>
    public const byte ImageSeparator = 0x2C;

    /// <summary>§20 Image Descriptor length after the separator.</summary>
    public const int ImageDescriptorLength = 9;

    /// <summary>§23–§26 Extension Introducer ('!').</summary>
    public const byte ExtensionIntroducer = 0x21;

    /// <summary>§27 Trailer (';').</summary>
    public const byte Trailer = 0x3B;

    /// <summary>§23 Graphic Control Extension label.</summary>
    public const byte GraphicControlLabel = 0xF9;

    /// <summary>§23 Graphic Control Extension block size.</summary>
    public const int GraphicControlBlockSize = 4;

    /// <summary>§23 GCE packed field: transparent colour flag (bit 0).</summary>
    public const byte TransparentColorFlag = 0x01;

    /// <summary>§23 GCE packed field: disposal method (bits 2–4).</summary>
    public const int DisposalShift = 2;

    /// <summary>§23 GCE packed field mask for the disposal method after shifting.</summary>
    public const int DisposalMask = 0x07;

    /// <summary>§24 Comment Extension label.</summary>
    public const byte CommentLabel = 0xFE;

    /// <summary>§25 Plain Text Extension label.</summary>
    public const byte PlainTextLabel = 0x01;

    /// <summary>§26 Application Extension label.</summary>
    public const byte ApplicationLabel = 0xFF;

    /// <summary>§26 Application identifier + authentication code length.</summary>
    public const int ApplicationIdentifierLength = 11;

    /// <summary>Netscape looping application extension identifier (not in GIF89a; de-facto standard since 1995).</summary>
    public static ReadOnlySpan<byte> NetscapeIdentifier => "NETSCAPE2.0"u8;

    /// <summary>Older looping extension some encoders write instead of NETSCAPE2.0; same sub-block layout.</summary>
    public static ReadOnlySpan<byte> AnimExtsIdentifier => "ANIMEXTS1.0"u8;

    /// <summary>NETSCAPE2.0 data sub-block id carrying the loop count.</summary>
    public const byte NetscapeLoopSubBlockId = 0x01;

    /// <summary>Appendix F: LZW codes are at most 12 bits.</summary>
    public const int MaxLzwBits = 12;

    /// <summary>Appendix F: 2^12 table entries.</summary>
    public const int MaxLzwCodes = 1 << MaxLzwBits;

    /// <summary>§22 Largest LZW minimum code size that still leaves room for clear/EOI within 12 bits.</summary>
    public const int MaxLzwMinimumCodeSize = 11;

    /// <summary>§15 Data sub-block: a zero-length block terminates the sequence.</summary>
    public const byte BlockTerminator = 0x00;

    /// <summary>§23 delay time unit in milliseconds (hundredths of a second).</summary>
    public const int DelayUnitMs = 10;

    /// <summary>Appendix E: interlace pass starting rows.</summary>
    public static ReadOnlySpan<byte> InterlaceStart => [0, 4, 2, 1];

    /// <summary>Appendix E: interlace pass row steps.</summary>
    public static ReadOnlySpan<byte> InterlaceStep => [8, 8, 4, 2];
}
