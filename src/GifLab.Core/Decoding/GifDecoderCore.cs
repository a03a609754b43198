using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using GifLab.Core.Model;

namespace GifLab.Core.Decoding;

/// <summary>
/// The decoder proper: walks the block structure (GIF89a §17–§27), LZW-decodes each image row by row and hands
/// the rows to the <see cref="FrameCompositor"/>. One instance decodes one file.
/// </summary>
/// <remarks>
/// Error policy (see <see cref="GifDecoder"/> for the public contract):
/// <list type="bullet">
/// <item>Fatal in both modes: not a GIF, truncated or zero-size logical screen, limits exceeded, structural damage
/// (truncation, unknown block) before the first image, and a first image whose LZW data cannot produce a single
/// pixel — in each case there is no frame to show.</item>
/// <item>Strict mode also throws on truncation, bad LZW data, unknown blocks and malformed extensions.</item>
/// <item>Lenient mode keeps every frame decoded so far (a frame cut short keeps the rows decoded before the
/// damage, the rest of its rectangle shows the canvas underneath), skips damaged extensions and records a
/// warning for each problem.</item>
/// </list>
/// </remarks>
internal ref struct GifDecoderCore
{
    private const int MaxWarnings = 100;

    private readonly ReadOnlySpan<byte> _data;
    private readonly GifDecoderOptions _options;
    private int _position;

    private int _width;
    private int _height;
    private int _backgroundIndex;
    private int _globalPaletteSize;
    private uint[] _globalPalette;
    private uint[] _framePalette;
    private byte[] _lzwData;
    private int _lzwLength;

    private int _loopCount;
    private bool _loopSeen;
    private int _maxLocalPaletteSize;
    private int _localPaletteFrames;
    private bool _hasTransparency;
    private long _trailingBytes;
    private List<string> _warnings;
    private List<Frame> _frames;

    // Pending Graphic Control Extension (§23): applies to the next image only.
    private bool _gcePresent;
    private int _gceDelayCs;
    private DisposalMethod _gceDisposal;
    private int _gceTransparentIndex;

    public GifDecoderCore(ReadOnlySpan<byte> data, GifDecoderOptions options)
    {
        _data = data;
        _options = options;
        _globalPalette = new uint[256];
        _framePalette = new uint[256];
        _lzwData = [];
        _warnings = [];
        _frames = [];
        _loopCount = -1;
        _gceTransparentIndex = -1;
    }

    public FrameSequence Decode()
    {
        ReadHeader();
        ReadLogicalScreen();
        PreScanFrameCount();

        using var compositor = new FrameCompositor(_width, _height, _options.FramePool);
        using var lzw = new LzwDecoder();
        var rowBuffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue + 1);
        try
        {
            ReadBlocks(compositor, lzw, rowBuffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rowBuffer);
            if (_lzwData.Length > 0) ArrayPool<byte>.Shared.Return(_lzwData);
        }

        if (_frames.Count == 0)
        {
            // A valid screen with no image (pygif "no-data"): viewers show the empty canvas, and the pygif suite
            // expects exactly that one transparent frame. Strict mode calls it what it is.
            if (!_options.Lenient)
                GifThrow.Format(GifErrorKind.NoFrames, "The GIF contains no image", _position);
            Warn("The GIF contains no image; produced one transparent canvas frame");
            CheckFrameLimits();
            _frames.Add(new Frame(compositor.Snapshot(), 0, DisposalMethod.Unspecified, new FrameRect(0, 0, 0, 0)));
        }

        var info = new GifInfo(_loopCount, _globalPaletteSize, _maxLocalPaletteSize, _localPaletteFrames,
                               _hasTransparency, _backgroundIndex, _warnings) { TrailingBytes = _trailingBytes };
        return new FrameSequence(_width, _height, _frames, info);
    }

    private void ReadHeader()
    {
        if (_data.Length < GifConstants.HeaderLength || !_data[..3].SequenceEqual(GifConstants.Signature))
            GifThrow.NotAGif("The data does not start with the 'GIF' signature");
        var version = _data.Slice(3, 3);
        if (!version.SequenceEqual(GifConstants.Version89a) && !version.SequenceEqual(GifConstants.Version87a))
        {
            if (!_options.Lenient)
                GifThrow.NotAGif($"Unknown GIF version '{System.Text.Encoding.ASCII.GetString(version)}' (expected 87a or 89a)");
            Warn($"Unknown GIF version '{System.Text.Encoding.ASCII.GetString(version)}'; decoded as 89a");
        }
        _position = GifConstants.HeaderLength;
    }

    private void ReadLogicalScreen()
    {
        // §18 Logical Screen Descriptor.
        if (_data.Length < _position + GifConstants.LogicalScreenDescriptorLength)
            GifThrow.Truncated("the logical screen descriptor", _data.Length);
        var lsd = _data.Slice(_position, GifConstants.LogicalScreenDescriptorLength);
        _width = BinaryPrimitives.ReadUInt16LittleEndian(lsd);
        _height = BinaryPrimitives.ReadUInt16LittleEndian(lsd[2..]);
        var packed = lsd[4];
        _backgroundIndex = lsd[5];
        _position += GifConstants.LogicalScreenDescriptorLength;

        if (_width == 0 || _height == 0)
            GifThrow.InvalidLogicalScreen($"The logical screen is {_width}×{_height}; a GIF needs a non-empty canvas");
        var pixels = (long)_width * _height;
        if (pixels > _options.MaxCanvasPixels)
            GifThrow.LimitExceeded(
                $"Canvas {_width}×{_height} = {pixels:N0} pixels exceeds MaxCanvasPixels = {_options.MaxCanvasPixels:N0}");
        if (pixels * 4 > Array.MaxLength)
            GifThrow.LimitExceeded(
                $"Canvas {_width}×{_height}: one RGBA frame ({pixels * 4:N0} bytes) is larger than a .NET array can hold");
        if (pixels * 4 > _options.MaxDecodedBytes)
            GifThrow.LimitExceeded(
                $"One {_width}×{_height} RGBA frame ({pixels * 4:N0} bytes) exceeds MaxDecodedBytes = {_options.MaxDecodedBytes:N0}");

        if ((packed & GifConstants.ColorTableFlag) != 0)
        {
            // §19 Global Color Table.
            _globalPaletteSize = 2 << (packed & GifConstants.ColorTableSizeMask);
            if (!ReadPalette(_globalPaletteSize, _globalPalette))
                GifThrow.Truncated("the global colour table", _data.Length);
        }
        else
        {
            FillPalette(_globalPalette, 0);
        }
    }

    /// <summary>
    /// Reads a colour table into <paramref name="palette"/> (256 packed RGBA entries). Entries past the table, and
    /// every entry when the data is cut short, are opaque black: out-of-range indices render black as in
    /// browsers and the pygif reference renderer. Returns false when the table is truncated.
    /// </summary>
    private bool ReadPalette(int entries, uint[] palette)
    {
        var available = Math.Min(entries, (_data.Length - _position) / 3);
        var bytes = MemoryMarshal.AsBytes(palette.AsSpan());
        var src = _data.Slice(_position, available * 3);
        for (var i = 0; i < available; i++)
        {
            bytes[i * 4] = src[i * 3];
            bytes[i * 4 + 1] = src[i * 3 + 1];
            bytes[i * 4 + 2] = src[i * 3 + 2];
            bytes[i * 4 + 3] = 255;
        }
        FillPalette(palette, available);
        if (available < entries)
        {
            _position = _data.Length;
            return false;
        }
        _position += entries * 3;
        return true;
    }

    private static void FillPalette(uint[] palette, int from)
    {
        var bytes = MemoryMarshal.AsBytes(palette.AsSpan());
        for (var i = from; i < 256; i++)
        {
            bytes[i * 4] = 0;
            bytes[i * 4 + 1] = 0;
            bytes[i * 4 + 2] = 0;
            bytes[i * 4 + 3] = 255;
        }
    }

    private void ReadBlocks(FrameCompositor compositor, LzwDecoder lzw, byte[] rowBuffer)
    {
        while (true)
        {
            if (_position >= _data.Length)
            {
                Damage(GifErrorKind.Truncated, "Data ends before the trailer (no ';' block)", _position);
                return;
            }
            var introducer = _data[_position];
            switch (introducer)
            {
                case GifConstants.Trailer:
                    _position++;
                    _trailingBytes = _data.Length - _position;
                    if (_position < _data.Length)
                        Warn($"{_data.Length - _position} bytes after the trailer ignored");
                    return;
                case GifConstants.ExtensionIntroducer:
                    if (!ReadExtension()) return;
                    break;
                case GifConstants.ImageSeparator:
                    if (!ReadImage(compositor, lzw, rowBuffer)) return;
                    break;
                default:
                    Damage(GifErrorKind.InvalidBlock,
                        $"Unknown block introducer 0x{introducer:X2} (expected ',', '!' or ';'); decoding stopped", _position);
                    return;
            }
        }
    }

    /// <summary>§23–§26 extensions. Returns false when decoding must stop (truncated).</summary>
    private bool ReadExtension()
    {
        var start = _position;
        if (_position + 1 >= _data.Length)
        {
            Damage(GifErrorKind.Truncated, "Data ends inside an extension", _position);
            return false;
        }
        var label = _data[_position + 1];
        _position += 2;
        switch (label)
        {
            case GifConstants.GraphicControlLabel:
                return ReadGraphicControl(start);
            case GifConstants.ApplicationLabel:
                return ReadApplication(start);
            default:
                // §24 comment, §25 plain text (not rendered, as in browsers), unknown labels: skip the sub-blocks.
                if (!SkipSubBlocks())
                {
                    Damage(GifErrorKind.Truncated, $"Data ends inside extension 0x{label:X2}", start);
                    return false;
                }
                return true;
        }
    }

    private bool ReadGraphicControl(int start)
    {
        // §23: block size 4, packed, delay (u16 LE, 1/100 s), transparent index, terminator.
        if (_position >= _data.Length)
        {
            Damage(GifErrorKind.Truncated, "Data ends inside a graphic control extension", start);
            return false;
        }
        var size = _data[_position];
        if (size >= GifConstants.GraphicControlBlockSize && _position + 1 + GifConstants.GraphicControlBlockSize <= _data.Length)
        {
            var gce = _data.Slice(_position + 1, GifConstants.GraphicControlBlockSize);
            var packed = gce[0];
            _gcePresent = true;
            var disposal = (packed >> GifConstants.DisposalShift) & GifConstants.DisposalMask;
            // Values 4–7 are undefined (§23); browsers treat them as "do not dispose".
            _gceDisposal = disposal <= 3 ? (DisposalMethod)disposal : DisposalMethod.Unspecified;
            _gceDelayCs = BinaryPrimitives.ReadUInt16LittleEndian(gce[1..]);
            _gceTransparentIndex = (packed & GifConstants.TransparentColorFlag) != 0 ? gce[3] : -1;
            if (size != GifConstants.GraphicControlBlockSize)
                DamageOrWarn(GifErrorKind.InvalidBlock, $"Graphic control extension block size {size} (expected 4)", start);
        }
        else if (size < GifConstants.GraphicControlBlockSize)
        {
            DamageOrWarn(GifErrorKind.InvalidBlock, $"Graphic control extension block size {size} (expected 4); ignored", start);
        }
        if (!SkipSubBlocks())
        {
            Damage(GifErrorKind.Truncated, "Data ends inside a graphic control extension", start);
            return false;
        }
        return true;
    }

    private bool ReadApplication(int start)
    {
        // §26: 11-byte identifier + authentication code, then application data sub-blocks.
        var isLoop = false;
        if (_position < _data.Length && _data[_position] == GifConstants.ApplicationIdentifierLength
            && _position + 1 + GifConstants.ApplicationIdentifierLength <= _data.Length)
        {
            var id = _data.Slice(_position + 1, GifConstants.ApplicationIdentifierLength);
            isLoop = id.SequenceEqual(GifConstants.NetscapeIdentifier) || id.SequenceEqual(GifConstants.AnimExtsIdentifier);
        }
        if (!isLoop)
        {
            if (!SkipSubBlocks())
            {
                Damage(GifErrorKind.Truncated, "Data ends inside an application extension", start);
                return false;
            }
            return true;
        }
        _position += 1 + GifConstants.ApplicationIdentifierLength;
        while (true)
        {
            if (_position >= _data.Length)
            {
                Damage(GifErrorKind.Truncated, "Data ends inside the NETSCAPE2.0 extension", start);
                return false;
            }
            int length = _data[_position];
            if (length == 0)
            {
                _position++;
                return true;
            }
            if (_position + 1 + length > _data.Length)
            {
                _position = _data.Length;
                Damage(GifErrorKind.Truncated, "Data ends inside the NETSCAPE2.0 extension", start);
                return false;
            }
            var block = _data.Slice(_position + 1, length);
            // Sub-block id 1: loop count (u16 LE, 0 = forever). Id 2 (buffer size) is ignored.
            if (block[0] == GifConstants.NetscapeLoopSubBlockId && length >= 3)
            {
                var loops = BinaryPrimitives.ReadUInt16LittleEndian(block[1..]);
                // Several loop extensions: the last one wins, as in gifsicle, wuffs (after a complete decode) and
                // the pygif runner (wuffs test/data/artificial-gif/multiple-loop-counts.gif: 50, 30, 40 → 40).
                if (_loopSeen && loops != _loopCount)
                    Warn($"Several loop counts ({_loopCount}, then {loops}); the last one is used");
                _loopCount = loops;
                _loopSeen = true;
            }
            _position += 1 + length;
        }
    }

    /// <summary>Skips data sub-blocks (§15) up to and including the terminator. False when the data ends first.</summary>
    private bool SkipSubBlocks()
    {
        while (_position < _data.Length)
        {
            int length = _data[_position];
            _position += 1 + length;
            if (length == 0) return true;
        }
        _position = _data.Length;
        return false;
    }

    /// <summary>Copies the image's data sub-blocks into one contiguous buffer. False when the data ends first.</summary>
    private bool GatherSubBlocks()
    {
        _lzwLength = 0;
        while (_position < _data.Length)
        {
            int length = _data[_position++];
            if (length == 0) return true;
            var available = Math.Min(length, _data.Length - _position);
            EnsureLzwCapacity(_lzwLength + available);
            _data.Slice(_position, available).CopyTo(_lzwData.AsSpan(_lzwLength));
            _lzwLength += available;
            _position += available;
            if (available < length) return false;
        }
        return false;
    }

    private void EnsureLzwCapacity(int needed)
    {
        if (_lzwData.Length >= needed) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, _lzwData.Length * 2)));
        _lzwData.AsSpan(0, _lzwLength).CopyTo(bigger);
        if (_lzwData.Length > 0) ArrayPool<byte>.Shared.Return(_lzwData);
        _lzwData = bigger;
    }

    /// <summary>§20 image descriptor, §21 local colour table, §22 image data. False when decoding must stop.</summary>
    private bool ReadImage(FrameCompositor compositor, LzwDecoder lzw, byte[] rowBuffer)
    {
        var start = _position;
        if (_position + 1 + GifConstants.ImageDescriptorLength > _data.Length)
        {
            _position = _data.Length;
            Damage(GifErrorKind.Truncated, "Data ends inside an image descriptor", start);
            return false;
        }
        var descriptor = _data.Slice(_position + 1, GifConstants.ImageDescriptorLength);
        var left = BinaryPrimitives.ReadUInt16LittleEndian(descriptor);
        var top = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[2..]);
        var frameWidth = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[4..]);
        var frameHeight = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[6..]);
        var packed = descriptor[8];
        var interlaced = (packed & GifConstants.InterlaceFlag) != 0;
        _position += 1 + GifConstants.ImageDescriptorLength;

        CheckFrameLimits();

        // Take the pending GCE (it applies to this image only).
        var delayMs = _gcePresent ? _gceDelayCs * GifConstants.DelayUnitMs : 0;
        var disposal = _gcePresent ? _gceDisposal : DisposalMethod.Unspecified;
        var transparentIndex = _gcePresent ? _gceTransparentIndex : -1;
        _gcePresent = false;
        _gceTransparentIndex = -1;
        if (transparentIndex >= 0) _hasTransparency = true;

        var truncated = false;
        uint[] palette;
        int paletteSize;
        var localPaletteSize = 0;
        if ((packed & GifConstants.ColorTableFlag) != 0)
        {
            localPaletteSize = 2 << (packed & GifConstants.ColorTableSizeMask);
            _localPaletteFrames++;
            _maxLocalPaletteSize = Math.Max(_maxLocalPaletteSize, localPaletteSize);
            palette = _framePalette;
            paletteSize = localPaletteSize;
            truncated = !ReadPalette(localPaletteSize, palette);
        }
        else
        {
            palette = _globalPalette;
            paletteSize = _globalPaletteSize;
            if (_globalPaletteSize == 0)
                Warn($"Frame {_frames.Count} has neither a local nor a global colour table; indices render opaque black");
        }

        // Clip the frame rectangle to the logical screen (frames partly or fully outside are clipped, as browsers
        // and the pygif suite do; the declared screen size is never grown).
        var clipX0 = Math.Min((int)left, _width);
        var clipY0 = Math.Min((int)top, _height);
        var clipX1 = Math.Min(left + frameWidth, _width);
        var clipY1 = Math.Min(top + frameHeight, _height);
        compositor.BeginFrame(clipX0, clipY0, clipX1 - clipX0, clipY1 - clipY0, disposal);

        var lzwFailure = false;
        var minCodeSize = -1;
        if (!truncated)
        {
            if (_position >= _data.Length)
            {
                truncated = true;
            }
            else
            {
                minCodeSize = _data[_position++];
                truncated = !GatherSubBlocks();
            }
        }

        var decodedAny = false;
        if (minCodeSize >= 0 && frameWidth > 0 && frameHeight > 0 && clipX1 > clipX0 && clipY1 > clipY0)
        {
            if (!LzwDecoder.IsValidMinimumCodeSize(minCodeSize))
            {
                lzwFailure = true;
                if (_frames.Count == 0 || !_options.Lenient)
                    GifThrow.InvalidLzw($"LZW minimum code size {minCodeSize} is outside 1–11", start);
                Warn($"Frame {_frames.Count}: LZW minimum code size {minCodeSize} is outside 1–11; frame left undrawn");
            }
            else
            {
                decodedAny = DecodePixels(compositor, lzw, rowBuffer, minCodeSize, left, top, frameWidth, frameHeight,
                                          interlaced, palette, paletteSize, transparentIndex, out lzwFailure,
                                          out var missing, out var outOfRange);
                if (outOfRange > 0)
                {
                    if (!_options.Lenient)
                        GifThrow.Format(GifErrorKind.InvalidColorIndex,
                            $"Frame {_frames.Count}: {outOfRange:N0} pixels use colour indices outside the {paletteSize}-entry colour table", start);
                    if (paletteSize > 0)
                        Warn($"Frame {_frames.Count}: {outOfRange:N0} pixels use colour indices outside the {paletteSize}-entry colour table; rendered opaque black");
                }
                if (lzwFailure)
                {
                    if (!decodedAny && _frames.Count == 0)
                        GifThrow.InvalidLzw("Invalid LZW code before any pixel of the first image", start);
                    DamageOrWarn(GifErrorKind.InvalidLzw,
                        $"Frame {_frames.Count}: invalid LZW code; {missing:N0} pixels left undrawn", start);
                }
                else if (missing > 0 && !truncated)
                {
                    Warn($"Frame {_frames.Count}: LZW data ended {missing:N0} pixels early");
                }
            }
        }

        _frames.Add(new Frame(compositor.Snapshot(), delayMs, disposal,
                              new FrameRect(left, top, frameWidth, frameHeight), localPaletteSize, transparentIndex, interlaced));

        if (truncated)
        {
            Damage(GifErrorKind.Truncated, $"Data ends inside frame {_frames.Count - 1}; kept the part decoded", start);
            return false;
        }
        return true;
    }

    /// <summary>
    /// LZW-decodes the image row by row (Appendix E order when interlaced) and draws the on-screen part of each row.
    /// Returns whether any pixel was decoded; <paramref name="missing"/> counts pixels the data did not cover.
    /// </summary>
    private readonly bool DecodePixels(FrameCompositor compositor, LzwDecoder lzw, byte[] rowBuffer, int minCodeSize,
        int left, int top, int frameWidth, int frameHeight, bool interlaced, uint[] palette, int paletteSize,
        int transparentIndex, out bool lzwFailure, out long missing, out long outOfRange)
    {
        lzw.Reset(minCodeSize);
        var data = _lzwData.AsSpan(0, _lzwLength);
        var row = rowBuffer.AsSpan(0, frameWidth);
        var drawX0 = Math.Max(left, 0);
        var drawX1 = Math.Min(left + frameWidth, _width);
        var drawWidth = drawX1 - drawX0;
        var pass = 0;
        var y = 0;
        var rowsDone = 0;
        var decodedAny = false;
        lzwFailure = false;
        missing = 0;
        outOfRange = 0;
        for (; rowsDone < frameHeight; rowsDone++)
        {
            if (interlaced)
            {
                while (y >= frameHeight)
                {
                    pass++;
                    y = GifConstants.InterlaceStart[pass];
                }
            }
            var canvasY = top + y;
            // Every remaining row is below the screen: rows only increase within the last (or only) pass.
            if (canvasY >= _height && (!interlaced || pass == GifConstants.InterlaceStart.Length - 1)) break;
            var got = lzw.Read(data, row);
            if (got > 0)
            {
                decodedAny = true;
                if (paletteSize < 256)
                    outOfRange += CountOutOfRange(row[..got], paletteSize, transparentIndex);
            }
            if (canvasY < _height && drawWidth > 0)
            {
                var visible = Math.Min(got, drawX1 - left) - (drawX0 - left);
                if (visible > 0)
                    compositor.DrawRow(drawX0, canvasY, row.Slice(drawX0 - left, visible), palette, transparentIndex);
            }
            if (got < frameWidth)
            {
                missing = (long)(frameHeight - rowsDone) * frameWidth - got;
                lzwFailure = lzw.Status == LzwStatus.InvalidCode;
                return decodedAny;
            }
            y += interlaced ? GifConstants.InterlaceStep[pass] : 1;
        }
        return decodedAny;
    }

    /// <summary>Pixels whose index is outside the colour table (and not the transparent index). Vectorised fast path.</summary>
    private static long CountOutOfRange(ReadOnlySpan<byte> row, int paletteSize, int transparentIndex)
    {
        if (row.IndexOfAnyInRange((byte)paletteSize, (byte)255) < 0) return 0;
        long count = 0;
        foreach (var index in row)
            if (index >= paletteSize && index != transparentIndex) count++;
        return count;
    }

    /// <summary>
    /// Counts the image descriptors by walking the block structure (sub-blocks skipped, no LZW decoding) and throws
    /// <see cref="GifErrorKind.LimitExceeded"/> at once when the frames declared would exceed <see cref="GifDecoderOptions.MaxFrames"/>
    /// or <see cref="GifDecoderOptions.MaxDecodedBytes"/>: a few kilobytes declaring 300 frames of 8192² must not allocate
    /// gigabytes of canvases before the limit is met frame by frame. The walk stops where decoding would stop (the
    /// trailer, the end of the data, a byte that starts no block), so it never counts a frame the decoder cannot reach.
    /// </summary>
    private readonly void PreScanFrameCount()
    {
        var frameBytes = (long)_width * _height * 4;
        var maxFrames = Math.Min(_options.MaxFrames, _options.MaxDecodedBytes / frameBytes);
        long frames = 0;
        var p = _position;
        var data = _data;
        while (p < data.Length)
        {
            var introducer = data[p];
            if (introducer == GifConstants.ExtensionIntroducer)
            {
                p += 2;
            }
            else if (introducer == GifConstants.ImageSeparator)
            {
                if (p + 10 > data.Length) break;
                var packed = data[p + 9];
                p += 10;
                if ((packed & GifConstants.ColorTableFlag) != 0) p += 3 * (2 << (packed & GifConstants.ColorTableSizeMask));
                p++; // LZW minimum code size
                if (p > data.Length) break;
                frames++;
                if (frames > maxFrames)
                {
                    if (frames > _options.MaxFrames) GifThrow.LimitExceeded($"More than MaxFrames = {_options.MaxFrames:N0} frames");
                    GifThrow.LimitExceeded(
                        $"The GIF declares at least {frames:N0} frames of {_width}×{_height}, {frames * frameBytes:N0} bytes decoded, over MaxDecodedBytes = {_options.MaxDecodedBytes:N0} (found before decoding)");
                }
            }
            else break; // trailer, or a byte that starts no block
            // Sub-blocks: a size byte, then that many bytes, until a zero size.
            while (p < data.Length)
            {
                var size = data[p++];
                if (size == 0) break;
                p += size;
            }
        }
    }

    private readonly void CheckFrameLimits()
    {
        if (_frames.Count >= _options.MaxFrames)
            GifThrow.LimitExceeded($"More than MaxFrames = {_options.MaxFrames:N0} frames");
        var bytes = (_frames.Count + 1L) * _width * _height * 4;
        if (bytes > _options.MaxDecodedBytes)
            GifThrow.LimitExceeded(
                $"Frame {_frames.Count} would bring decoded output to {bytes:N0} bytes, over MaxDecodedBytes = {_options.MaxDecodedBytes:N0}");
    }

    /// <summary>Structural damage that ends decoding: throws in strict mode, records a warning in lenient mode.</summary>
    private void Damage(GifErrorKind kind, string message, long offset)
    {
        // With no frame decoded there is nothing to keep, so the damage is fatal in both modes.
        if (!_options.Lenient || _frames.Count == 0)
            GifThrow.Format(kind, message, offset);
        Warn($"{message} (at byte {offset})");
    }

    /// <summary>Local damage that decoding can step over: throws in strict mode, records a warning in lenient mode.</summary>
    private void DamageOrWarn(GifErrorKind kind, string message, long offset)
    {
        if (!_options.Lenient) GifThrow.Format(kind, message, offset);
        Warn($"{message} (at byte {offset})");
    }

    private readonly void Warn(string message)
    {
        if (_warnings.Count < MaxWarnings) _warnings.Add(message);
        else if (_warnings.Count == MaxWarnings) _warnings.Add("Further warnings suppressed");
    }
}
