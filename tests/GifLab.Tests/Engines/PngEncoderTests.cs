using System.Diagnostics;
using GifLab.Core.Encoding;

namespace GifLab.Tests.Engines;

public class PngEncoderTests
{
    [Fact]
    public void Crc32_StandardCheckValue() =>
        // CRC-32/ISO-HDLC check value for "123456789" (catalogue of parametrised CRC algorithms, reveng).
        Assert.Equal(0xCBF43926u, PngEncoder.Crc32("123456789"u8));

    [Fact]
    public void Encode_HasSignatureAndChunks()
    {
        var png = PngEncoder.EncodeRgba(new byte[2 * 3 * 4], 2, 3);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
        Assert.Throws<ArgumentException>(() => PngEncoder.EncodeRgba(new byte[5], 2, 3));
    }

    /// <summary>Independent decoder: ImageMagick reads our PNG back to raw RGBA; bytes must equal the input.</summary>
    [Fact(Timeout = 60_000)]
    public async Task Encode_DecodedByImageMagick_RoundTripsExactly()
    {
        var convert = new[] { "/usr/bin/convert-im6.q16", "/usr/bin/convert", "/usr/bin/magick" }.FirstOrDefault(File.Exists);
        if (convert is null) return; // ImageMagick absent: nothing independent to compare with
        const int w = 7, h = 5;
        var rgba = new byte[w * h * 4];
        var rng = new Random(1234);
        rng.NextBytes(rgba);
        for (var i = 3; i < rgba.Length; i += 4) rgba[i] = (byte)(i % 3 == 0 ? 255 : rgba[i] | 1); // mixed alpha, never 0 (IM may zero RGB under alpha 0)
        using var tmp = TestEnvironment.NewTempDir();
        File.WriteAllBytes(tmp.File("x.png"), PngEncoder.EncodeRgba(rgba, w, h));
        var psi = new ProcessStartInfo(convert) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { tmp.File("x.png"), "-depth", "8", "rgba:-" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        using var ms = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(ms);
        var err = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await copy;
        Assert.True(p.ExitCode == 0, await err);
        Assert.Equal(rgba, ms.ToArray());
    }
}
