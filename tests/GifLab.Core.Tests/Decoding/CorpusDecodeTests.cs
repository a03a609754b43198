using System.Diagnostics;
using GifLab.Core.Decoding;
using Xunit.Abstractions;

namespace GifLab.Core.Tests.Decoding;

/// <summary>
/// Decodes the shared corpus (<c>../shared/corpus</c> or <c>$GIFLAB_CORPUS</c>; see its SOURCES.md). Skips with a
/// message when the corpus is absent (a plain clone). Frame counts are checked against MANIFEST.tsv's
/// <c>frames</c> column, which was produced by gifsicle/Pillow — independent decoders — and every frame of every
/// <c>real/</c> file against ImageMagick's composited frames (<see cref="ImageMagickReferenceTests"/>).
/// </summary>
public sealed class CorpusDecodeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerFileBudget = TimeSpan.FromSeconds(10);

    private sealed record ManifestRow(string Path, string Category, int? Frames);

    private static List<ManifestRow> ReadManifest(string corpus)
    {
        var lines = File.ReadAllLines(Path.Combine(corpus, "MANIFEST.tsv"));
        var header = lines[0].Split('\t');
        var pathCol = Array.IndexOf(header, "path");
        var catCol = Array.IndexOf(header, "category");
        var framesCol = Array.IndexOf(header, "frames");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Select(f => new ManifestRow(f[pathCol], f[catCol], int.TryParse(f[framesCol], out var n) ? n : null))
            .ToList();
    }

    [Fact]
    public void Decode_RealCorpus_EveryFileDecodesWithManifestFrameCount()
    {
        var corpus = TestGifs.Corpus;
        if (corpus is null)
        {
            output.WriteLine("SKIPPED: shared corpus not found (set GIFLAB_CORPUS or provide ../shared/corpus)");
            return;
        }
        var failures = new List<string>();
        var reference = ImageMagickReferenceTests.LoadReference();
        var count = 0;
        var identical = 0;
        long frames = 0;
        var total = Stopwatch.StartNew();
        foreach (var row in ReadManifest(corpus).Where(r => r.Category == "real"))
        {
            count++;
            var data = File.ReadAllBytes(Path.Combine(corpus, row.Path));
            // Only the decode is timed (a guard against a pathological slowdown, not a benchmark): the reference
            // comparison below hashes every frame (~0.4 GB for the largest file) and, with the other test assemblies
            // sharing the machine, took the file over the budget on its own.
            var sw = Stopwatch.StartNew();
            try
            {
                var seq = GifDecoder.Decode(data);
                sw.Stop();
                frames += seq.FrameCount;
                if (row.Frames is { } expected && seq.FrameCount != expected)
                    failures.Add($"{row.Path}: {seq.FrameCount} frames, MANIFEST says {expected}");
                if (seq.Info.Warnings.Count > 0)
                    output.WriteLine($"  {row.Path}: warnings: {string.Join("; ", seq.Info.Warnings)}");
                foreach (var f in seq.Frames)
                    Assert.Equal(seq.FrameByteCount, f.Rgba.Length);
                if (reference.TryGetValue(row.Path, out var im) && !ImageMagickReferenceTests.KnownDifferences.ContainsKey(row.Path))
                {
                    string? mismatch = im.Hashes.Length != seq.FrameCount ? "frame count differs" : null;
                    for (var i = 0; mismatch is null && i < seq.FrameCount; i++)
                        if (ImageMagickReferenceTests.Hash(seq.Frames[i].Rgba) != im.Hashes[i]) mismatch = $"frame {i} differs";
                    if (mismatch is null) identical++;
                    else failures.Add($"{row.Path}: ImageMagick reference: {mismatch}");
                }
            }
            catch (GifFormatException e)
            {
                failures.Add($"{row.Path}: {e.Kind}: {e.Message}");
            }
            if (sw.Elapsed > PerFileBudget) failures.Add($"{row.Path}: took {sw.Elapsed.TotalSeconds:F1} s");
        }
        output.WriteLine($"real corpus: {count - failures.Count}/{count} files decoded, {frames} frames, "
                         + $"{identical} files identical to ImageMagick frame by frame, {total.ElapsedMilliseconds} ms");
        Assert.True(count > 0, "MANIFEST.tsv lists no real files");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("edge")]
    [InlineData("malformed")]
    public void Decode_EdgeAndMalformedCorpus_DecodesOrThrowsClassifiedError(string category)
    {
        var corpus = TestGifs.Corpus;
        if (corpus is null)
        {
            output.WriteLine("SKIPPED: shared corpus not found (set GIFLAB_CORPUS or provide ../shared/corpus)");
            return;
        }
        var problems = new List<string>();
        var decoded = 0;
        var rejected = 0;
        var files = Directory.EnumerateFiles(Path.Combine(corpus, category), "*.gif", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).ToList();
        var manifest = ReadManifest(corpus).ToDictionary(r => r.Path);
        foreach (var file in files)
        {
            var rel = Path.GetRelativePath(corpus, file).Replace('\\', '/');
            var data = File.ReadAllBytes(file);
            // Only the decode is timed (a guard against a pathological slowdown, not a benchmark): the reference
            // comparison below hashes every frame (~0.4 GB for the largest file) and, with the other test assemblies
            // sharing the machine, took the file over the budget on its own.
            var sw = Stopwatch.StartNew();
            try
            {
                var seq = GifDecoder.Decode(data);
                sw.Stop();
                decoded++;
                var warn = seq.Info.Warnings.Count > 0 ? $" warnings: {string.Join("; ", seq.Info.Warnings)}" : "";
                var expected = manifest.TryGetValue(rel, out var row) && row.Frames is { } n ? $" (MANIFEST {n})" : "";
                output.WriteLine($"  ok   {rel}: {seq.Width}×{seq.Height}, {seq.FrameCount} frames{expected}{warn}");
            }
            catch (GifFormatException e)
            {
                rejected++;
                output.WriteLine($"  fail {rel}: {e.Kind}: {e.Message}");
                if (string.IsNullOrWhiteSpace(e.Message)) problems.Add($"{rel}: empty message");
            }
            catch (Exception e)
            {
                problems.Add($"{rel}: unclassified {e.GetType().Name}: {e.Message}");
            }
            if (sw.Elapsed > PerFileBudget) problems.Add($"{rel}: took {sw.Elapsed.TotalSeconds:F1} s");
        }
        output.WriteLine($"{category}: {decoded} decoded, {rejected} rejected with a GifFormatException, {problems.Count} problems");
        Assert.True(files.Count > 0);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
