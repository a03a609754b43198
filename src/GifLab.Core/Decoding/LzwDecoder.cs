using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GifLab.Core.Decoding;

/// <summary>Why an <see cref="LzwDecoder"/> stopped producing indices.</summary>
internal enum LzwStatus
{
    /// <summary>More indices may follow.</summary>
    Running,
    /// <summary>End-of-information code read (§22, Appendix F).</summary>
    EndOfInformation,
    /// <summary>The data ran out before an end-of-information code (tolerated: many encoders omit it).</summary>
    EndOfData,
    /// <summary>A code that is neither in the table nor the next free one, or a non-literal first code.</summary>
    InvalidCode,
}

/// <summary>
/// Resumable, span-based GIF LZW decoder (GIF89a §22 and Appendix F, variable-length codes up to 12 bits).
/// The code table stores, per code, its prefix code, last byte, first byte and string length, so a string is
/// written straight into the output back to front without a per-byte stack (the layout ImageSharp's
/// <c>LzwDecoder</c> uses). Output may be requested in arbitrary chunks (one image row at a time); a string
/// that does not fit is parked and handed out on the next call. The tables are rented once per decoder and
/// returned on <see cref="Dispose"/>.
/// </summary>
internal sealed class LzwDecoder : IDisposable
{
    private readonly ushort[] _prefix;
    private readonly byte[] _suffix;
    private readonly byte[] _first;
    private readonly ushort[] _length;
    private readonly byte[] _pending;

    private int _minCodeSize;
    private int _clearCode;
    private int _codeSize;
    private int _nextCode;
    private int _previousCode;
    private uint _bits;
    private int _bitCount;
    private int _dataPosition;
    private int _pendingStart;
    private int _pendingLength;

    public LzwDecoder()
    {
        _prefix = ArrayPool<ushort>.Shared.Rent(GifConstants.MaxLzwCodes);
        _suffix = ArrayPool<byte>.Shared.Rent(GifConstants.MaxLzwCodes);
        _first = ArrayPool<byte>.Shared.Rent(GifConstants.MaxLzwCodes);
        _length = ArrayPool<ushort>.Shared.Rent(GifConstants.MaxLzwCodes);
        _pending = ArrayPool<byte>.Shared.Rent(GifConstants.MaxLzwCodes);
    }

    /// <summary>Why decoding stopped (or <see cref="LzwStatus.Running"/>).</summary>
    public LzwStatus Status { get; private set; }

    /// <summary>Bytes of the data consumed so far.</summary>
    public int BytesConsumed => _dataPosition;

    /// <summary>Whether <paramref name="minCodeSize"/> is a usable LZW minimum code size (1–11).</summary>
    public static bool IsValidMinimumCodeSize(int minCodeSize) =>
        minCodeSize is >= 1 and <= GifConstants.MaxLzwMinimumCodeSize;

    /// <summary>Starts a new image's code stream.</summary>
    public void Reset(int minCodeSize)
    {
        if (!IsValidMinimumCodeSize(minCodeSize))
            throw new ArgumentOutOfRangeException(nameof(minCodeSize), minCodeSize, "LZW minimum code size must be 1–11.");
        _minCodeSize = minCodeSize;
        _clearCode = 1 << minCodeSize;
        var literals = Math.Min(_clearCode, 256);
        for (var i = 0; i < literals; i++)
        {
            _prefix[i] = 0;
            _suffix[i] = (byte)i;
            _first[i] = (byte)i;
            _length[i] = 1;
        }
        // Codes 256..clear-1 only exist for minimum code sizes 9–11, which no valid GIF uses (§22: at most
        // 8 bits per pixel); they decode to (code & 0xFF) so the table stays total and decoding never fails.
        for (var i = literals; i < _clearCode; i++)
        {
            _prefix[i] = 0;
            _suffix[i] = (byte)i;
            _first[i] = (byte)i;
            _length[i] = 1;
        }
        ResetTable();
        _previousCode = -1;
        _bits = 0;
        _bitCount = 0;
        _dataPosition = 0;
        _pendingStart = 0;
        _pendingLength = 0;
        Status = LzwStatus.Running;
    }

    private void ResetTable()
    {
        _codeSize = _minCodeSize + 1;
        _nextCode = _clearCode + 2;
    }

    /// <summary>
    /// Decodes up to <c>output.Length</c> colour indices from <paramref name="data"/> (the same, complete
    /// concatenation of the image's data sub-blocks on every call). Returns how many were written; fewer than
    /// requested means <see cref="Status"/> is no longer <see cref="LzwStatus.Running"/>.
    /// </summary>
    public int Read(ReadOnlySpan<byte> data, Span<byte> output)
    {
        var pos = 0;
        if (_pendingLength > 0)
        {
            var n = Math.Min(_pendingLength, output.Length);
            _pending.AsSpan(_pendingStart, n).CopyTo(output);
            _pendingStart += n;
            _pendingLength -= n;
            pos = n;
            if (pos == output.Length) return pos;
        }
        if (Status != LzwStatus.Running) return pos;

        // Locals for the hot loop (fields copied in, written back at the end).
        var codeSize = _codeSize;
        var codeMask = (1u << codeSize) - 1;
        var nextCode = _nextCode;
        var previousCode = _previousCode;
        var bits = _bits;
        var bitCount = _bitCount;
        var dataPosition = _dataPosition;
        var clearCode = _clearCode;
        var endCode = clearCode + 1;
        ref var prefix = ref MemoryMarshal.GetArrayDataReference(_prefix);
        ref var suffix = ref MemoryMarshal.GetArrayDataReference(_suffix);
        ref var first = ref MemoryMarshal.GetArrayDataReference(_first);
        ref var length = ref MemoryMarshal.GetArrayDataReference(_length);
        var status = LzwStatus.Running;

        while (pos < output.Length)
        {
            while (bitCount < codeSize)
            {
                if ((uint)dataPosition >= (uint)data.Length)
                {
                    status = LzwStatus.EndOfData;
                    goto Done;
                }
                bits |= (uint)data[dataPosition++] << bitCount;
                bitCount += 8;
            }
            var code = (int)(bits & codeMask);
            bits >>= codeSize;
            bitCount -= codeSize;

            if (code == clearCode)
            {
                codeSize = _minCodeSize + 1;
                codeMask = (1u << codeSize) - 1;
                nextCode = clearCode + 2;
                previousCode = -1;
                continue;
            }
            if (code == endCode)
            {
                status = LzwStatus.EndOfInformation;
                goto Done;
            }
            if (previousCode < 0)
            {
                // First code after a clear (or at stream start without one) must be a literal.
                if (code > clearCode)
                {
                    status = LzwStatus.InvalidCode;
                    goto Done;
                }
                output[pos++] = (byte)code;
                previousCode = code;
                continue;
            }

            if (code < nextCode)
            {
                if (nextCode < GifConstants.MaxLzwCodes)
                {
                    Unsafe.Add(ref prefix, nextCode) = (ushort)previousCode;
                    Unsafe.Add(ref suffix, nextCode) = Unsafe.Add(ref first, code);
                    Unsafe.Add(ref first, nextCode) = Unsafe.Add(ref first, previousCode);
                    Unsafe.Add(ref length, nextCode) = (ushort)(Unsafe.Add(ref length, previousCode) + 1);
                    nextCode++;
                }
            }
            else if (code == nextCode && nextCode < GifConstants.MaxLzwCodes)
            {
                // KwKwK case: the new string is previous + first(previous).
                var f = Unsafe.Add(ref first, previousCode);
                Unsafe.Add(ref prefix, nextCode) = (ushort)previousCode;
                Unsafe.Add(ref suffix, nextCode) = f;
                Unsafe.Add(ref first, nextCode) = f;
                Unsafe.Add(ref length, nextCode) = (ushort)(Unsafe.Add(ref length, previousCode) + 1);
                nextCode++;
            }
            else
            {
                status = LzwStatus.InvalidCode;
                goto Done;
            }

            if (nextCode == (1 << codeSize) && codeSize < GifConstants.MaxLzwBits)
            {
                codeSize++;
                codeMask = (1u << codeSize) - 1;
            }
            previousCode = code;

            // Emit the string for `code`, back to front.
            int len = Unsafe.Add(ref length, code);
            var c = code;
            if (len <= output.Length - pos)
            {
                ref var dst = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), pos);
                for (var i = len - 1; i > 0; i--)
                {
                    Unsafe.Add(ref dst, i) = Unsafe.Add(ref suffix, c);
                    c = Unsafe.Add(ref prefix, c);
                }
                dst = Unsafe.Add(ref suffix, c);
                pos += len;
            }
            else
            {
                for (var i = len - 1; i >= 0; i--)
                {
                    _pending[i] = Unsafe.Add(ref suffix, c);
                    c = Unsafe.Add(ref prefix, c);
                }
                var fit = output.Length - pos;
                _pending.AsSpan(0, fit).CopyTo(output[pos..]);
                _pendingStart = fit;
                _pendingLength = len - fit;
                pos = output.Length;
            }
        }

    Done:
        _codeSize = codeSize;
        _nextCode = nextCode;
        _previousCode = previousCode;
        _bits = bits;
        _bitCount = bitCount;
        _dataPosition = dataPosition;
        Status = status;
        return pos;
    }

    public void Dispose()
    {
        ArrayPool<ushort>.Shared.Return(_prefix);
        ArrayPool<byte>.Shared.Return(_suffix);
        ArrayPool<byte>.Shared.Return(_first);
        ArrayPool<ushort>.Shared.Return(_length);
        ArrayPool<byte>.Shared.Return(_pending);
    }
}
