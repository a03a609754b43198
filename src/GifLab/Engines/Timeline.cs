namespace GifLab.Engines;

/// <summary>Timing facts of a step's input (or expected output): per-frame delays, NETSCAPE loop count, canvas size.</summary>
/// <param name="DelaysMs">Delay of each frame in ms (multiples of 10: GIF stores centiseconds).</param>
/// <param name="LoopCount">0 = forever, n = n repeats, -1 = no loop extension (play once).</param>
public sealed record Timeline(IReadOnlyList<int> DelaysMs, int LoopCount, int Width, int Height)
{
    public int FrameCount => DelaysMs.Count;

    public int DurationMs
    {
        get
        {
            var total = 0;
            foreach (var d in DelaysMs) total += d;
            return total;
        }
    }

    public static Timeline Of(Core.Model.FrameSequence frames)
    {
        var delays = new int[frames.FrameCount];
        for (var i = 0; i < delays.Length; i++) delays[i] = frames.Frames[i].DelayMs;
        return new Timeline(delays, frames.Info.LoopCount, frames.Width, frames.Height);
    }
}
