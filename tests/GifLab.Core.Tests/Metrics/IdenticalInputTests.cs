using GifLab.Core.Metrics.Kernels;

namespace GifLab.Core.Tests.Metrics;

/// <summary>
/// The identical-pair fast path (<c>MetricContext.PairIdentical</c>) writes 1 / 1 / 100 without running the kernels.
/// That is only allowed because the kernels return exactly those values for identical inputs, on every size class
/// (window-sized, odd, one MS-SSIM scale up to five, SIMD widths and their tails) and content (noise, gradients, flat).
/// </summary>
[Trait("Category", SimdWidth.Category)]
public sealed class IdenticalInputTests
{
    public static IEnumerable<object[]> Sizes =>
        [[7, 7], [8, 8], [11, 11], [12, 13], [22, 22], [33, 17], [64, 48], [101, 77], [176, 176], [320, 240]];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Kernels_OnIdenticalInputs_ReturnExactIdentityValues(int w, int h)
    {
        var rng = new Random(w * 1000 + h);
        for (int t = 0; t < 3; t++)
        {
            var rgb = new byte[w * h * 3];
            if (t == 0) rng.NextBytes(rgb);
            else if (t == 1) for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i / 3 % w * 255 / w);
            else Array.Fill(rgb, (byte)77);
            var luma = new float[w * h];
            for (int i = 0; i < luma.Length; i++) luma[i] = (float)(0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]);
            Assert.Equal(1.0, StructuralSimilarity.Ssim(luma, (float[])luma.Clone(), w, h));
            var ms = StructuralSimilarity.MsSsim(luma, (float[])luma.Clone(), w, h);
            if (w >= StructuralSimilarity.MsSsimWindow && h >= StructuralSimilarity.MsSsimWindow)
            {
                Assert.Equal(1.0, ms!.Value.Value);
                Assert.Equal(StructuralSimilarity.MsSsimScales(w, h), ms.Value.Scales);
            }
            else Assert.Null(ms);
            if (Ssimulacra2Core.CanScore(w, h))
                Assert.Equal(Ssimulacra2Core.IdenticalScore, Ssimulacra2Core.Score(Ssimulacra2Core.Prepare(rgb, w, h), (byte[])rgb.Clone()));
            Assert.Equal(0, SquaredError.Sum(rgb, (byte[])rgb.Clone()));
        }
    }
}
