namespace GifLab.Core.Features.Kernels;

/// <summary>
/// 2-D orthonormal DCT-II of a square N×N plane, the definition <c>cv::dct</c> implements (no flags):
/// <c>D[u,v] = c(u)·c(v)·Σx Σy X[y,x]·cos(π(2y+1)u / 2N)·cos(π(2x+1)v / 2N)</c>, <c>c(0) = √(1/N)</c>,
/// <c>c(k) = √(2/N)</c>. Computed as <c>C·X·Cᵀ</c> in double with a cached cosine matrix
/// (OpenCV uses a fast float algorithm; the two agree to float rounding).
/// </summary>
internal sealed class Dct2
{
    private readonly int _n;
    private readonly double[] _c;   // _c[k*N + x] = c(k) cos(π(2x+1)k/2N)

    public Dct2(int n)
    {
        _n = n;
        _c = new double[n * n];
        for (var k = 0; k < n; k++)
        {
            var ck = k == 0 ? Math.Sqrt(1.0 / n) : Math.Sqrt(2.0 / n);
            for (var x = 0; x < n; x++) _c[k * n + x] = ck * Math.Cos(Math.PI * (2 * x + 1) * k / (2.0 * n));
        }
    }

    public int Size => _n;

    /// <summary>Forward transform of <paramref name="src"/> (row-major N×N) into <paramref name="dst"/>.</summary>
    public void Forward(ReadOnlySpan<float> src, Span<double> dst)
    {
        var n = _n;
        if (src.Length < n * n || dst.Length < n * n) throw new ArgumentException("Buffers smaller than N×N.");
        var tmp = new double[n * n];  // tmp = X · Cᵀ  (rows transformed)
        var c = _c;
        for (var y = 0; y < n; y++)
        {
            var row = src.Slice(y * n, n);
            for (var v = 0; v < n; v++)
            {
                var cv = c.AsSpan(v * n, n);
                double s = 0;
                for (var x = 0; x < n; x++) s += row[x] * cv[x];
                tmp[y * n + v] = s;
            }
        }
        for (var u = 0; u < n; u++)
        {
            var cu = c.AsSpan(u * n, n);
            for (var v = 0; v < n; v++)
            {
                double s = 0;
                for (var y = 0; y < n; y++) s += cu[y] * tmp[y * n + v];
                dst[u * n + v] = s;
            }
        }
    }
}
