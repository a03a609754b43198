using System.Security.Cryptography;
using System.Text;
using GifLab.Core.Curves;

namespace GifLab.Core.Tests.Curves;

public class DatasetSplitTests
{
    private static string Sha(int i) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"synthetic-{i}")));

    [Fact]
    public void Assign_AddingGifs_NeverMovesAnExistingGif()
    {
        var ratios = SplitRatios.Default;
        var before = Enumerable.Range(0, 5_000).Select(Sha).ToDictionary(s => s, s => ratios.Assign(s));
        // Grow the dataset to 10,000 and assign in a different order: every old GIF keeps its split.
        var after = Enumerable.Range(0, 10_000).Reverse().Select(Sha).ToDictionary(s => s, s => ratios.Assign(s));
        foreach (var (sha, split) in before) Assert.Equal(split, after[sha]);
        // Case of the SHA does not matter.
        Assert.Equal(ratios.Assign(Sha(1)), ratios.Assign(Sha(1).ToUpperInvariant()));
    }

    [Theory]
    [InlineData(0.8, 0.1)]
    [InlineData(0.7, 0.2)]
    [InlineData(0.5, 0.0)]
    public void Assign_RatiosWithin3Percent_On10kSyntheticShas(double train, double val)
    {
        var ratios = new SplitRatios(train, val);
        var counts = new int[3];
        for (var i = 0; i < 10_000; i++) counts[(int)ratios.Assign(Sha(i))]++;
        Assert.InRange(counts[0] / 10_000.0, train - 0.03, train + 0.03);
        Assert.InRange(counts[1] / 10_000.0, val - 0.03, val + 0.03);
        Assert.InRange(counts[2] / 10_000.0, ratios.Test - 0.03, ratios.Test + 0.03);
    }

    [Fact]
    public void Assign_RaisingTrainRatio_KeepsTrainGifsInTrain()
    {
        // Buckets are fixed per SHA, so growing the train share never takes a GIF out of train.
        var a = new SplitRatios(0.8, 0.1);
        var b = new SplitRatios(0.9, 0.05);
        for (var i = 0; i < 2_000; i++)
        {
            var (x, y) = (a.Assign(Sha(i)), b.Assign(Sha(i)));
            if (x == DatasetSplit.Train) Assert.Equal(DatasetSplit.Train, y);
        }
    }

    [Theory]
    [InlineData("0.8,0.1", 0.8, 0.1)]
    [InlineData("0.7, 0.2, 0.1", 0.7, 0.2)]
    [InlineData("1,0", 1.0, 0.0)]
    public void ParseRatios_Accepts(string text, double train, double val)
    {
        var r = SplitRatios.ParseRatios(text);
        Assert.Equal(train, r.Train, 12);
        Assert.Equal(val, r.Val, 12);
    }

    [Theory]
    [InlineData("0.8")]
    [InlineData("0.8,0.3")]
    [InlineData("0.5,0.2,0.2")]
    [InlineData("-0.1,0.5")]
    [InlineData("a,b")]
    public void ParseRatios_Rejects(string text) => Assert.Throws<FormatException>(() => SplitRatios.ParseRatios(text));
}
