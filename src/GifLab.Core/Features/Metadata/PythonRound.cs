using System.Numerics;

namespace GifLab.Core.Features.Metadata;

/// <summary>
/// Python's <c>round(x, 2)</c> for finite non-negative doubles: the exact binary value of <c>x</c> is rounded to
/// the nearest multiple of 0.01, ties to even, then converted to the nearest double. (.NET's
/// <c>Math.Round(x, 2)</c> scales by 100 first and <c>(decimal)x</c> keeps only 15 digits, so both can
/// disagree with Python on values such as 2.675.)
/// </summary>
internal static class PythonRound
{
    public static double To2Decimals(double x)
    {
        if (!double.IsFinite(x) || x < 0) throw new ArgumentOutOfRangeException(nameof(x), x, "Finite non-negative value expected.");
        if (x == 0) return 0;
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exp = (int)((bits >> 52) & 0x7FF);
        var mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) exp = 1; else mant |= 1L << 52;
        exp -= 1075;                                   // x = mant · 2^exp exactly
        BigInteger num = new BigInteger(mant) * 100, den = BigInteger.One;
        if (exp >= 0) num <<= exp; else den <<= -exp;
        var k = BigInteger.DivRem(num, den, out var rem);
        var twice = rem * 2;
        var cmp = twice.CompareTo(den);
        if (cmp > 0 || (cmp == 0 && !k.IsEven)) k += 1;
        return (double)k / 100.0;
    }
}
