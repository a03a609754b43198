using GifLab.Core.Decoding;

namespace GifLab.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/GifLab.Benchmarks -- changes DIR</c>: for each GIF, the share of canvas rows
/// that differ from the same row of the previous frame (composited RGBA), weighted by pixels. Tells how much of a
/// per-frame metric's work repeats the previous frame's.
/// </summary>
public static class FrameChangeSurvey
{
    public static void Run(string dir)
    {
        long allRows = 0, allChanged = 0;
        foreach (var path in Directory.EnumerateFiles(dir, "*.gif", SearchOption.AllDirectories).Order())
        {
            var seq = GifDecoder.Decode(File.ReadAllBytes(path));
            long rows = 0, changed = 0;
            int stride = seq.Width * 4;
            for (int f = 0; f < seq.FrameCount; f++)
            {
                rows += seq.Height;
                if (f == 0) { changed += seq.Height; continue; }
                var a = seq.Frames[f - 1].Rgba; var b = seq.Frames[f].Rgba;
                for (int y = 0; y < seq.Height; y++)
                    if (!a.AsSpan(y * stride, stride).SequenceEqual(b.AsSpan(y * stride, stride))) changed++;
            }
            allRows += rows * seq.Width; allChanged += changed * seq.Width;
            Console.WriteLine($"{Path.GetFileName(path),-34} {seq.Width}×{seq.Height}×{seq.FrameCount,-5} changed rows {100.0 * changed / rows,5:F1}%");
        }
        Console.WriteLine($"pixel-weighted: {100.0 * allChanged / allRows:F1}% of rows differ from the previous frame");
    }
}
