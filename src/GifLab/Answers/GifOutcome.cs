using GifLab.Storage;

namespace GifLab.Answers;

/// <summary>One pipeline family on one GIF.</summary>
/// <param name="Points">Measured (size, quality) points (valid runs with a value).</param>
/// <param name="SizeAtFloor">Interpolated smallest size reaching the floor; null = never reaches it.</param>
/// <param name="OnFrontier">It alone produced a point of the GIF's frontier over all families.</param>
/// <param name="BestRun">Index in <see cref="AnswersGif.Runs"/> of the smallest measured run at or above the floor (−1 if none).</param>
public readonly record struct FamilyOutcome(int Points, double? SizeAtFloor, bool OnFrontier, int BestRun)
{
    public bool HasPoints => Points > 0;
}

/// <summary>What the answers keep of one GIF: its group and, per family index, its outcome (default = no points).</summary>
public sealed class GifOutcome
{
    internal GifOutcome(AnswersGif gif, string group, FamilyOutcome[] families)
    {
        Gif = gif;
        Group = group;
        Families = families;
    }

    public AnswersGif Gif { get; }

    public string Group { get; }

    /// <summary>Indexed by family index (<see cref="AnswersAnalysis.Families"/>); shorter than the family list when later GIFs brought new families.</summary>
    public FamilyOutcome[] Families { get; }

    public FamilyOutcome Family(int index) => index < Families.Length ? Families[index] : default;

    /// <summary>Smallest size at the floor over all families; null when none reaches it.</summary>
    public double? Best
    {
        get
        {
            double? best = null;
            foreach (var f in Families)
                if (f.SizeAtFloor is { } s && (best is null || s < best)) best = s;
            return best;
        }
    }

    /// <summary>Largest ÷ smallest size at the floor among the families that reach it (how much the choice matters); null with fewer than two.</summary>
    public double? Spread
    {
        get
        {
            double min = double.PositiveInfinity, max = 0;
            var n = 0;
            foreach (var f in Families)
            {
                if (f.SizeAtFloor is not { } s) continue;
                n++;
                min = Math.Min(min, s);
                max = Math.Max(max, s);
            }
            return n >= 2 ? max / min : null;
        }
    }
}
