using System.Security.Cryptography;
using System.Text.Json;
using GifLab.Core.Model;

namespace GifLab.Core.Tests.Features;

/// <summary>
/// Files under <c>testdata/features/</c> (made by <c>testdata/features/make_golden.py</c>: Pillow 9.4.0 decodes and
/// numpy 1.24.2 / OpenCV 4.6.0 values — an implementation independent of ours) and synthetic-sequence builders.
/// </summary>
internal static class FeatureTestData
{
    public static string Dir { get; } = FindDir();

    private static string FindDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "testdata", "features");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("testdata/features not found above " + AppContext.BaseDirectory);
    }

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Dir, file));

    public static JsonElement Json(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, file))).RootElement;

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A 32×24 sequence from the Pillow-decoded RGBA frames <c>name.f{i}.rgba</c>.</summary>
    public static FrameSequence PillowFrames(string name, int count, int delayMs, int width = 32, int height = 24)
    {
        var frames = new List<Frame>();
        for (var i = 0; i < count; i++)
            frames.Add(new Frame(Bytes($"{name}.f{i}.rgba"), delayMs, DisposalMethod.Unspecified, new FrameRect(0, 0, width, height)));
        return new FrameSequence(width, height, frames, GifInfo.Synthetic);
    }

    public static Frame Solid(int w, int h, byte r, byte g, byte b, byte a = 255, int delayMs = 100)
    {
        var px = new byte[w * h * 4];
        for (var p = 0; p < px.Length; p += 4) { px[p] = r; px[p + 1] = g; px[p + 2] = b; px[p + 3] = a; }
        return new Frame(px, delayMs, DisposalMethod.Unspecified, new FrameRect(0, 0, w, h));
    }

    public static Frame FromPixels(int w, int h, Func<int, int, (byte R, byte G, byte B, byte A)> pixel, int delayMs = 100)
    {
        var px = new byte[w * h * 4];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var (r, g, b, a) = pixel(x, y);
            var p = (y * w + x) * 4;
            px[p] = r; px[p + 1] = g; px[p + 2] = b; px[p + 3] = a;
        }
        return new Frame(px, delayMs, DisposalMethod.Unspecified, new FrameRect(0, 0, w, h));
    }

    public static FrameSequence Sequence(int w, int h, params Frame[] frames) => new(w, h, frames, GifInfo.Synthetic);

    public const string ZeroSha = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Extracts with placeholder identity and a 1-byte "file" (metadata falls back to the frames).</summary>
    public static Core.Features.GifFeatures Extract(FrameSequence seq, byte[]? file = null) =>
        Core.Features.FeatureExtractor.Extract(seq, file ?? [0x47], ZeroSha, "synthetic.gif", new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
}
