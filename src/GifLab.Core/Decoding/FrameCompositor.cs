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

    public FrameCompositor(int width, int height)
    {
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
                for (var row = 0; row < _pendingH; row++)
                    canvas.Slice((_pendingY + row) * _width + _pendingX, _pendingW).Clear();
                break;
            case DisposalMethod.RestoreToPrevious when _saved is not null && _savedLength == _pendingW * _pendingH:
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
        var dst = _canvas.AsSpan(canvasY * _width + canvasX, indices.Length);
        ref var pal = ref MemoryMarshal.GetReference(palette);
        if ((uint)transparentIndex > 255)
        {
            for (var i = 0; i < indices.Length; i++)
                dst[i] = Unsafe.Add(ref pal, indices[i]);
        }
        else
        {
            for (var i = 0; i < indices.Length; i++)
            {
                var index = indices[i];
                if (index != transparentIndex) dst[i] = Unsafe.Add(ref pal, index);
            }
        }
    }

    /// <summary>Copies the current canvas into a new RGBA byte array (one composited frame).</summary>
    public byte[] Snapshot()
    {
        var bytes = GC.AllocateUninitializedArray<byte>(_width * _height * 4);
        MemoryMarshal.AsBytes(Canvas).CopyTo(bytes);
        return bytes;
    }

    public void Dispose()
    {
        ArrayPool<uint>.Shared.Return(_canvas);
        if (_saved is not null) ArrayPool<uint>.Shared.Return(_saved);
        _saved = null;
    }
}
