using System.Security.Cryptography;
using GifLab.Core.Decoding;
using Xunit.Abstractions;

namespace GifLab.Core.Tests.Decoding;

/// <summary>
/// Every composited frame compared with ImageMagick 6.9.11 (<c>convert FILE -coalesce rgba:-</c>), an independent
/// decoder. The expected per-frame hashes are in <c>testdata/gifs/reference/imagemagick-frames.tsv</c>, made by
/// <c>make-imagemagick-reference.py</c> beside it (command and normalisation in its header). Files are read from the
/// shared corpus when present, otherwise from their copies in <c>testdata/gifs</c>, so a plain clone still checks
/// the committed fixtures. With the corpus present, <c>real/</c> files are checked by
/// <see cref="CorpusDecodeTests"/> in the same pass that checks their frame counts (one decode per file).
/// </summary>
public sealed class ImageMagickReferenceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Files where ImageMagick paints the logical-screen background colour (opaque) on canvas areas no frame covers
    /// or a disposal cleared, where GifLab leaves them transparent as browsers do and the pygif suite expects
    /// (image-inside-bg etc.). For these the test paints GifLab's transparent pixels with the background colour
    /// before hashing, so every other pixel is still checked against ImageMagick.
    /// </summary>
    public static readonly IReadOnlySet<string> BackgroundPainted = new HashSet<string>
    {
        "edge/image-rs-image/border_touching_layers.gif",
        "edge/wuffs/frame-out-of-bounds.gif",
        "edge/wuffs/multiple-loop-counts.gif",
        "edge/wuffs/small-frame-interlaced.gif",
    };

    /// <summary>Files where GifLab deliberately differs from ImageMagick (each difference inspected pixel by pixel).</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownDifferences = new Dictionary<string, string>
    {
        ["edge/image-rs-image/issue_1455_undersized.gif"] =
            "Two 50×50 frames on a 100×100 screen. ImageMagick paints the uncovered canvas in the background colour "
            + "but, in frame 1, clears frame 0's disposed rectangle to transparent; GifLab leaves every uncovered or "
            + "disposed pixel transparent. The drawn frame pixels agree.",
        ["edge/giflab/transparency_bearing_monotonicity.gif"] =
            "Not in the table (ImageMagick exits with 'invalid colormap index'). Transparent index 255 lies outside the "
            + "128-entry colour table; GifLab, like browsers, still treats it as transparent; ImageMagick's output "
            + "paints colour 0 there (373 pixels per frame).",
        ["malformed/libnsgif/afl-000019.gif"] =
            "Not in the table (ImageMagick exits with an error). Fuzzer file without any colour table and with "
            + "truncated LZW data: GifLab draws the decoded indices opaque black, ImageMagick's output leaves the "
            + "canvas transparent.",
        ["malformed/libnsgif/afl-000023.gif"] =
            "Fuzzer file: an unknown block byte (0x7F) before the first image; GifLab rejects it (InvalidBlock), "
            + "ImageMagick skips ahead. gifsicle and Pillow reject it too (MANIFEST.tsv).",
    };

    [Fact]
    public void Decode_EveryReferenceFile_MatchesImageMagickFrameByFrame()
    {
        var corpus = TestGifs.Corpus;
        int files = 0, frames = 0, skipped = 0, known = 0, painted = 0;
        var failures = new List<string>();
        foreach (var (rel, (refSize, expected)) in LoadReference())
        {
            if (corpus is not null && rel.StartsWith("real/", StringComparison.Ordinal)) continue;
            var path = corpus is not null ? Path.Combine(corpus, rel) : TestGifs.Path(string.Join('/', rel.Split('/')[1..]));
            if (!File.Exists(path))
            {
                skipped++;
                continue;
            }
            if (KnownDifferences.TryGetValue(rel, out var reason))
            {
                output.WriteLine($"  known difference {rel}: {reason}");
                known++;
                continue;
            }
            var bytes = File.ReadAllBytes(path);
            var seq = GifDecoder.Decode(bytes);
            var background = BackgroundPainted.Contains(rel) ? BackgroundColor(bytes) : (uint?)null;
            var size = $"{seq.Width}x{seq.Height}";
            if (size != refSize || seq.FrameCount != expected.Length)
            {
                failures.Add($"{rel}: {size} with {seq.FrameCount} frames, ImageMagick {refSize} with {expected.Length}");
                continue;
            }
            files++;
            if (background is not null) painted++;
            for (var f = 0; f < seq.FrameCount; f++)
            {
                frames++;
                var actual = Hash(background is { } bg ? PaintTransparent(seq.Frames[f].Rgba, bg) : seq.Frames[f].Rgba);
                if (actual != expected[f])
                {
                    failures.Add($"{rel}: frame {f} hash {actual}, ImageMagick {expected[f]}");
                    break;
                }
            }
        }
        output.WriteLine($"imagemagick reference: {files - failures.Count}/{files} files identical ({frames} frames checked), "
                         + $"{painted} of them with transparent areas painted in the background colour, "
                         + $"{known} known differences skipped, {skipped} not present"
                         + (corpus is null ? " (shared corpus absent: testdata copies only)" : "; real/ files: see CorpusDecodeTests"));
        Assert.True(files > 0);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>SHA-256 (first 16 hex digits) of the frame with R=G=B=0 wherever alpha is 0, as the script does.</summary>
    internal static string Hash(byte[] rgba)
    {
        var copy = (byte[])rgba.Clone();
        for (var i = 0; i < copy.Length; i += 4)
            if (copy[i + 3] == 0) copy[i] = copy[i + 1] = copy[i + 2] = 0;
        return Convert.ToHexStringLower(SHA256.HashData(copy))[..16];
    }

    /// <summary>Opaque RGBA (R | G&lt;&lt;8 | B&lt;&lt;16 | A&lt;&lt;24) of the logical screen's background index, read from
    /// the global colour table (GIF89a §18–§19: packed byte at offset 10, background index at 11, table at 13).</summary>
    private static uint BackgroundColor(byte[] gif)
    {
        Assert.True((gif[10] & 0x80) != 0, "background-painted files all have a global colour table");
        var o = 13 + gif[11] * 3;
        return gif[o] | (uint)gif[o + 1] << 8 | (uint)gif[o + 2] << 16 | 0xFF000000u;
    }

    private static byte[] PaintTransparent(byte[] rgba, uint color)
    {
        var copy = (byte[])rgba.Clone();
        for (var i = 0; i < copy.Length; i += 4)
            if (copy[i + 3] == 0) BitConverter.TryWriteBytes(copy.AsSpan(i, 4), color);
        return copy;
    }

    /// <summary>The reference table: corpus-relative path → (size "WxH", per-frame hashes).</summary>
    internal static Dictionary<string, (string Size, string[] Hashes)> LoadReference() =>
        File.ReadAllLines(TestGifs.Path("reference/imagemagick-frames.tsv"))
            .Select(l => l.Split('\t'))
            .ToDictionary(c => c[0], c => (c[1], c[2].Split(',')));
}
