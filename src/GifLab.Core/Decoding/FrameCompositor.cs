using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using GifLab.Core.Model;

namespace GifLab.Core.Decoding;

/// <summary>
/// Keeps the logical-screen canvas and applies GIF89a §23 disposal and transparency to it, the way browsers
/// (and the pygif conformance suite's expected outputs) do:
/// <list type="bullet">
/// <item>The canvas starts fully transparent (0,0,0,0); the background colour index is not painted (browsers
/// ignore it).</item>
/// <item>Disposal 0 (unspecified), 1 (do not dispose) and the undefined values 4–7: leave the frame in place.</item>
/// <item>Disposal 2 (restore to background): after display, the frame rectangle (clipped to the screen) becomes
/// transparent.</item>
/// <item>Disposal 3 (restore to previous): after display, the rectangle returns to what it was just before the
/// frame was drawn (i.e. after the previous frame's disposal).</item>
/// <item>A pixel whose index equals the frame's transparent index leaves the canvas unchanged.</item>
/// </list>
/// Disposal of frame n is applied when frame n+1 starts, so frame n's composited output shows frame n drawn.
/// </summary>
internal sealed class FrameCompositor : IDisposable
{
    private readonly int _width;
    private readonly int _height;
    private readonly uint[] _canvas;
    private uint[]? _saved;
    private int _savedLength;

    private DisposalMethod _pendingDisposal;
    private int _pendingX, _pendingY, _pendingW, _pendingH;

    // What changed on the canvas since the last snapshot (a bounding box; empty when x0 >= x1), and that snapshot.
    private int _dirtyX0, _dirtyY0, _dirtyX1, _dirtyY1;
    private byte[]? _lastSnapshot;

    private readonly FrameArrayPool? _framePool;

    public FrameCompositor(int width, int height, FrameArrayPool? framePool = null)
    {
        _framePool = framePool;
        _width = width;
        _height = height;
        var pixels = width * height;
        _canvas = ArrayPool<uint>.Shared.Rent(pixels);
        _canvas.AsSpan(0, pixels).Clear();
    }

    public int Width => _width;
    public int Height => _height;

    /// <summary>The current canvas, one packed RGBA pixel per uint (byte order R,G,B,A in memory).</summary>
    public Span<uint> Canvas => _canvas.AsSpan(0, _width * _height);

    /// <summary>
    /// Applies the previous frame's disposal and prepares for a frame with the given (clipped) rectangle.
    /// </summary>
    public void BeginFrame(int x, int y, int w, int h, DisposalMethod disposal)
    {
        ApplyPendingDisposal();
        if (disposal == DisposalMethod.RestoreToPrevious && w > 0 && h > 0)
        {
            var need = w * h;
            if (_saved is null || _saved.Length < need)
            {
                if (_saved is not null) ArrayPool<uint>.Shared.Return(_saved);
                _saved = ArrayPool<uint>.Shared.Rent(need);
            }
            _savedLength = need;
            var canvas = Canvas;
            for (var row = 0; row < h; row++)
                canvas.Slice((y + row) * _width + x, w).CopyTo(_saved.AsSpan(row * w, w));
        }
        _pendingDisposal = disposal;
        _pendingX = x;
        _pendingY = y;
        _pendingW = w;
        _pendingH = h;
    }

    private void ApplyPendingDisposal()
    {
        if (_pendingW <= 0 || _pendingH <= 0) return;
        var canvas = Canvas;
        switch (_pendingDisposal)
        {
            case DisposalMethod.RestoreToBackground:
                MarkDirty(_pendingX, _pendingY, _pendingW, _pendingH);
                for (var row = 0; row < _pendingH; row++)
                    canvas.Slice((_pendingY + row) * _width + _pendingX, _pendingW).Clear();
                break;
            case DisposalMethod.RestoreToPrevious when _saved is not null && _savedLength == _pendingW * _pendingH:
                MarkDirty(_pendingX, _pendingY, _pendingW, _pendingH);
                for (var row = 0; row < _pendingH; row++)
                    _saved.AsSpan(row * _pendingW, _pendingW).CopyTo(canvas.Slice((_pendingY + row) * _width + _pendingX, _pendingW));
                break;
        }
        _pendingW = 0;
        _pendingH = 0;
    }

    /// <summary>
    /// Draws one row of colour indices at canvas position (<paramref name="canvasX"/>, <paramref name="canvasY"/>);
    /// the caller has already clipped the row to the screen.
    /// </summary>
    public void DrawRow(int canvasX, int canvasY, ReadOnlySpan<byte> indices, ReadOnlySpan<uint> palette, int transparentIndex)
    {
        // Callers guarantee the row lies inside the canvas and palette has 256 entries; checked once here so
        // the loops below can run without per-pixel bounds checks.
        if ((uint)canvasY >= (uint)_height || canvasX < 0 || canvasX + indices.Length > _width || palette.Length < 256)
            throw new ArgumentOutOfRangeException(nameof(indices), "Row outside the canvas.");
        MarkDirty(canvasX, canvasY, indices.Length, 1);
        ref var dst = ref _canvas[canvasY * _width + canvasX];
        ref var src = ref MemoryMarshal.GetReference(indices);
        ref var pal = ref MemoryMarshal.GetReference(palette);
        var n = indices.Length;
        var i = 0;
        if ((uint)transparentIndex > 255)
        {
            for (; i + 4 <= n; i += 4)
            {
                Unsafe.Add(ref dst, i) = Unsafe.Add(ref pal, Unsafe.Add(ref src, i));
                Unsafe.Add(ref dst, i + 1) = Unsafe.Add(ref pal, Unsafe.Add(ref src, i + 1));
                Unsafe.Add(ref dst, i + 2) = Unsafe.Add(ref pal, Unsafe.Add(ref src, i + 2));
                Unsafe.Add(ref dst, i + 3) = Unsafe.Add(ref pal, Unsafe.Add(ref src, i + 3));
            }
            for (; i < n; i++)
                Unsafe.Add(ref dst, i) = Unsafe.Add(ref pal, Unsafe.Add(ref src, i));
        }
        else
        {
            var t = (byte)transparentIndex;
            for (; i < n; i++)
            {
                var index = Unsafe.Add(ref src, i);
                if (index != t) Unsafe.Add(ref dst, i) = Unsafe.Add(ref pal, index);
            }
        }
    }

    private void MarkDirty(int x, int y, int w, int h)
    {
        if (w <= 0 || h <= 0) return;
        if (_dirtyX0 >= _dirtyX1)
        {
            (_dirtyX0, _dirtyY0, _dirtyX1, _dirtyY1) = (x, y, x + w, y + h);
            return;
        }
        _dirtyX0 = Math.Min(_dirtyX0, x);
        _dirtyY0 = Math.Min(_dirtyY0, y);
        _dirtyX1 = Math.Max(_dirtyX1, x + w);
        _dirtyY1 = Math.Max(_dirtyY1, y + h);
    }

    /// <summary>
    /// The current canvas as RGBA bytes (one composited frame). When the canvas is byte-identical to the previous
    /// snapshot, that same array is returned: frames are immutable by contract, and the static stretches of screen
    /// recordings and slideshows (often most of their frames) then cost neither a copy nor memory. Only the box drawn
    /// or disposed since the previous snapshot can differ from it, so only that box is compared.
    /// </summary>
    public byte[] Snapshot()
    {
        var canvas = MemoryMarshal.AsBytes(Canvas);
        if (_lastSnapshot is { } previous && DirtyBoxEquals(canvas, previous))
        {
            _dirtyX0 = _dirtyX1 = 0;
            return previous;
        }
        var bytes = _framePool?.Rent(canvas.Length) ?? GC.AllocateUninitializedArray<byte>(canvas.Length);
        canvas.CopyTo(bytes);
        _dirtyX0 = _dirtyX1 = 0;
        return _lastSnapshot = bytes;
    }

    private bool DirtyBoxEquals(ReadOnlySpan<byte> canvas, byte[] previous)
    {
        if (_dirtyX0 >= _dirtyX1) return true;
        int rowBytes = _width * 4, x0 = _dirtyX0 * 4, length = (_dirtyX1 - _dirtyX0) * 4;
        for (var y = _dirtyY0; y < _dirtyY1; y++)
        {
            var offset = y * rowBytes + x0;
            if (!canvas.Slice(offset, length).SequenceEqual(previous.AsSpan(offset, length))) return false;
        }
        return true;
    }

    public void Dispose()
    {
        ArrayPool<uint>.Shared.Return(_canvas);
        if (_saved is not null) ArrayPool<uint>.Shared.Return(_saved);
        _saved = null;
    }
}
