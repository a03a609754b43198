using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GifLab.Core.Metrics.Kernels;

/// <summary>
/// Colour conversions used by the metrics. All tables are computed once in double precision.
/// </summary>
internal static class ColorSpaces
{
    /// <summary>sRGB 8-bit code value → linear light (IEC 61966-2-1 EOTF), as lcms2's parametric
    /// curve type 4 that the reference ssimulacra2 build uses to read PNGs without colour chunks.</summary>
    public static readonly float[] SrgbToLinear = BuildSrgbToLinear();

    private static float[] BuildSrgbToLinear()
    {
        var t = new float[256];
        for (int i = 0; i < 256; i++)
        {
            double v = i / 255.0;
            t[i] = (float)(v >= 0.04045 ? Math.Pow((v + 0.055) / 1.055, 2.4) : v / 12.92);
        }
        return t;
    }

    /// <summary>Luma tables: Y = LumaTableR[R] + LumaTableG[G] + LumaTableB[B] gives exactly the double
    /// value of 0.299·R + 0.587·G + 0.114·B (same products, same summation order), cast to float by the caller.</summary>
    internal static readonly double[] LumaTableR = BuildTable(0.299);
    internal static readonly double[] LumaTableG = BuildTable(0.587);
    internal static readonly double[] LumaTableB = BuildTable(0.114);

    private static double[] BuildTable(double weight)
    {
        var t = new double[256];
        for (int i = 0; i < 256; i++) t[i] = weight * i;
        return t;
    }

    // libjxl lib/jxl/opsin_params.h: kOpsinAbsorbanceMatrix and bias (XYB colour space).
    private const float M02 = 0.078f, M00 = 0.30f, M01 = 1.0f - M02 - M00;
    private const float M12 = 0.078f, M10 = 0.23f, M11 = 1.0f - M12 - M10;
    private const float M20 = 0.24342268924547819f, M21 = 0.20476744424496821f, M22 = 1.0f - M20 - M21;
    private const float Bias = 0.0037930732552754493f;
    private static readonly float NegBiasCbrt = -MathF.Cbrt(Bias);

    /// <summary>
    /// Linear sRGB planes → SSIMULACRA 2's "positive XYB" planes (libjxl <c>LinearRGBToXYB</c>
    /// followed by ssimulacra2's <c>MakePositiveXYB</c>: X·14 + 0.42, Y + 0.01, (B − Y) + 0.55).
    /// </summary>
    public static void LinearToPositiveXyb(ReadOnlySpan<float> r, ReadOnlySpan<float> g, ReadOnlySpan<float> b,
                                           Span<float> x, Span<float> y, Span<float> bOut, bool vectorised = true)
    {
        int i = 0;
        if (vectorised && Vector256.IsHardwareAccelerated)
        {
            // Lanes: 8 pixels; Cbrt256 mirrors Cbrt lane by lane (same operations, same order).
            ref float rr = ref MemoryMarshal.GetReference(r), rg = ref MemoryMarshal.GetReference(g), rb = ref MemoryMarshal.GetReference(b);
            ref float ox = ref MemoryMarshal.GetReference(x), oy = ref MemoryMarshal.GetReference(y), ob = ref MemoryMarshal.GetReference(bOut);
            var bias = Vector256.Create(Bias); var neg = Vector256.Create(NegBiasCbrt);
            var half = Vector256.Create(0.5f); var fourteen = Vector256.Create(14f);
            var c042 = Vector256.Create(0.42f); var c001 = Vector256.Create(0.01f); var c055 = Vector256.Create(0.55f);
            for (; i + 8 <= r.Length; i += 8)
            {
                var ri = Vector256.LoadUnsafe(ref rr, (nuint)i); var gi = Vector256.LoadUnsafe(ref rg, (nuint)i); var bi = Vector256.LoadUnsafe(ref rb, (nuint)i);
                var m0 = Vector256.FusedMultiplyAdd(Vector256.Create(M00), ri, Vector256.FusedMultiplyAdd(Vector256.Create(M01), gi, Vector256.FusedMultiplyAdd(Vector256.Create(M02), bi, bias)));
                var m1 = Vector256.FusedMultiplyAdd(Vector256.Create(M10), ri, Vector256.FusedMultiplyAdd(Vector256.Create(M11), gi, Vector256.FusedMultiplyAdd(Vector256.Create(M12), bi, bias)));
                var m2 = Vector256.FusedMultiplyAdd(Vector256.Create(M20), ri, Vector256.FusedMultiplyAdd(Vector256.Create(M21), gi, Vector256.FusedMultiplyAdd(Vector256.Create(M22), bi, bias)));
                m0 = Cbrt256(Vector256.Max(m0, Vector256<float>.Zero)) + neg;
                m1 = Cbrt256(Vector256.Max(m1, Vector256<float>.Zero)) + neg;
                m2 = Cbrt256(Vector256.Max(m2, Vector256<float>.Zero)) + neg;
                var xx = half * (m0 - m1); var yy = half * (m0 + m1);
                (xx * fourteen + c042).StoreUnsafe(ref ox, (nuint)i);
                (yy + c001).StoreUnsafe(ref oy, (nuint)i);
                ((m2 - yy) + c055).StoreUnsafe(ref ob, (nuint)i);
            }
        }
        for (; i < r.Length; i++)
        {
            float ri = r[i], gi = g[i], bi = b[i];
            float m0 = MathF.FusedMultiplyAdd(M00, ri, MathF.FusedMultiplyAdd(M01, gi, MathF.FusedMultiplyAdd(M02, bi, Bias)));
            float m1 = MathF.FusedMultiplyAdd(M10, ri, MathF.FusedMultiplyAdd(M11, gi, MathF.FusedMultiplyAdd(M12, bi, Bias)));
            float m2 = MathF.FusedMultiplyAdd(M20, ri, MathF.FusedMultiplyAdd(M21, gi, MathF.FusedMultiplyAdd(M22, bi, Bias)));
            m0 = Cbrt(MathF.Max(m0, 0f)) + NegBiasCbrt;
            m1 = Cbrt(MathF.Max(m1, 0f)) + NegBiasCbrt;
            m2 = Cbrt(MathF.Max(m2, 0f)) + NegBiasCbrt;
            float xx = 0.5f * (m0 - m1), yy = 0.5f * (m0 + m1);
            x[i] = xx * 14f + 0.42f;
            y[i] = yy + 0.01f;
            bOut[i] = (m2 - yy) + 0.55f;
        }
    }

    /// <summary>Vector twin of <see cref="Cbrt"/> (zero for lanes ≤ 0).</summary>
    private static Vector256<float> Cbrt256(Vector256<float> v)
    {
        var bits = v.AsUInt32();
        // bits / 3 without a vector integer divide: (bits · 0xAAAAAAAB) >> 33, done in 64-bit halves.
        var (lo, hi) = Vector256.Widen(bits);
        var magic = Vector256.Create(0xAAAAAAABUL);
        var q = Vector256.Narrow(Vector256.ShiftRightLogical(lo * magic, 33), Vector256.ShiftRightLogical(hi * magic, 33));
        var t = (q + Vector256.Create(709921077u)).AsSingle();
        var two = Vector256.Create(2f);
        var t3 = t * t * t;
        t = t * (t3 + two * v) / (two * t3 + v);
        t3 = t * t * t;
        t = t * (t3 + two * v) / (two * t3 + v);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), t, Vector256<float>.Zero);
    }

    /// <summary>Cube root for x ≥ 0: bit-trick start and two Newton steps in float, then one in
    /// double-free Halley form; relative error below 1e-7 on [1e-6, 2] (tested against Math.Cbrt).</summary>
    public static float Cbrt(float v)
    {
        if (v <= 0f) return 0f;
        uint bits = BitConverter.SingleToUInt32Bits(v);
        float t = BitConverter.UInt32BitsToSingle(bits / 3 + 709921077u);
        // Halley iterations: t ← t·(t³ + 2v)/(2t³ + v), cubic convergence.
        float t3 = t * t * t;
        t = t * (t3 + 2f * v) / (2f * t3 + v);
        t3 = t * t * t;
        t = t * (t3 + 2f * v) / (2f * t3 + v);
        return t;
    }

    // ---- CIELAB (D65, sRGB) for ΔE2000 ----
    private const double Xn = 0.95047, Yn = 1.0, Zn = 1.08883;

    /// <summary>sRGB 8-bit → CIELAB (D65 white, 2° observer), as scikit-image <c>rgb2lab</c>.</summary>
    public static (double L, double A, double B) SrgbToLab(byte r8, byte g8, byte b8)
    {
        double r = SrgbToLinear[r8], g = SrgbToLinear[g8], b = SrgbToLinear[b8];
        double X = 0.412453 * r + 0.357580 * g + 0.180423 * b;
        double Y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
        double Z = 0.019334 * r + 0.119193 * g + 0.950227 * b;
        double fx = LabF(X / Xn), fy = LabF(Y / Yn), fz = LabF(Z / Zn);
        return (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz));
    }

    private static double LabF(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116.0;

    /// <summary>CIEDE2000 colour difference (Sharma, Wu, Dalal 2005), kL = kC = kH = 1.</summary>
    public static double DeltaE2000(double l1, double a1, double b1, double l2, double a2, double b2)
    {
        const double Pow25To7 = 6103515625.0; // 25^7
        double c1 = Math.Sqrt(a1 * a1 + b1 * b1), c2 = Math.Sqrt(a2 * a2 + b2 * b2);
        double cBar = 0.5 * (c1 + c2);
        double cBar7 = Math.Pow(cBar, 7);
        double g = 0.5 * (1 - Math.Sqrt(cBar7 / (cBar7 + Pow25To7)));
        double a1p = (1 + g) * a1, a2p = (1 + g) * a2;
        double c1p = Math.Sqrt(a1p * a1p + b1 * b1), c2p = Math.Sqrt(a2p * a2p + b2 * b2);
        double h1p = HueDeg(b1, a1p), h2p = HueDeg(b2, a2p);
        double dLp = l2 - l1, dCp = c2p - c1p;
        double dhp;
        if (c1p * c2p == 0) dhp = 0;
        else
        {
            dhp = h2p - h1p;
            if (dhp > 180) dhp -= 360; else if (dhp < -180) dhp += 360;
        }
        double dHp = 2 * Math.Sqrt(c1p * c2p) * Math.Sin(DegToRad(dhp / 2));
        double lBarP = 0.5 * (l1 + l2), cBarP = 0.5 * (c1p + c2p);
        double hBarP;
        if (c1p * c2p == 0) hBarP = h1p + h2p;
        else if (Math.Abs(h1p - h2p) <= 180) hBarP = 0.5 * (h1p + h2p);
        else hBarP = h1p + h2p < 360 ? 0.5 * (h1p + h2p + 360) : 0.5 * (h1p + h2p - 360);
        double t = 1 - 0.17 * Math.Cos(DegToRad(hBarP - 30)) + 0.24 * Math.Cos(DegToRad(2 * hBarP))
                   + 0.32 * Math.Cos(DegToRad(3 * hBarP + 6)) - 0.20 * Math.Cos(DegToRad(4 * hBarP - 63));
        double dTheta = 30 * Math.Exp(-Math.Pow((hBarP - 275) / 25, 2));
        double cBarP7 = Math.Pow(cBarP, 7);
        double rc = 2 * Math.Sqrt(cBarP7 / (cBarP7 + Pow25To7));
        double l50 = (lBarP - 50) * (lBarP - 50);
        double sl = 1 + 0.015 * l50 / Math.Sqrt(20 + l50);
        double sc = 1 + 0.045 * cBarP;
        double sh = 1 + 0.015 * cBarP * t;
        double rt = -Math.Sin(DegToRad(2 * dTheta)) * rc;
        double x = dLp / sl, y = dCp / sc, z = dHp / sh;
        return Math.Sqrt(x * x + y * y + z * z + rt * y * z);
    }

    private static double HueDeg(double b, double a)
    {
        if (a == 0 && b == 0) return 0;
        double h = Math.Atan2(b, a) * (180.0 / Math.PI);
        return h < 0 ? h + 360 : h;
    }

    private static double DegToRad(double d) => d * (Math.PI / 180.0);
}
