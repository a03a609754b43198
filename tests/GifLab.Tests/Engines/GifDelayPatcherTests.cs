using GifLab.Engines;

namespace GifLab.Tests.Engines;

public class GifDelayPatcherTests
{
    [Fact]
    public void ReadsDelays_OfTestFile_AsGifsicleReportsThem()
    {
        // gifsicle --info animated-red-blue.gif: delays 0.10s 0.20s 0.30s 0.40s.
        var bytes = File.ReadAllBytes(TestEnvironment.TestData("animated-red-blue.gif"));
        Assert.Equal([10, 20, 30, 40], GifDelayPatcher.ReadDelaysCs(bytes)!);
    }

    [Fact]
    public void WriteDelays_ChangesOnlyTheDelayFields()
    {
        var original = File.ReadAllBytes(TestEnvironment.TestData("animated-red-blue.gif"));
        var patched = (byte[])original.Clone();
        Assert.True(GifDelayPatcher.TryWriteDelaysCs(patched, [1, 2, 3, 65535]));
        Assert.Equal([1, 2, 3, 65535], GifDelayPatcher.ReadDelaysCs(patched)!);
        var offsets = GifDelayPatcher.DelayOffsets(original)!;
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.All(changed, i => Assert.Contains(offsets, o => i == o || i == o + 1));
        Assert.False(GifDelayPatcher.TryWriteDelaysCs(patched, [1, 2, 3])); // count mismatch → nothing written
    }

    [Fact]
    public void NotAGif_IsNull()
    {
        Assert.Null(GifDelayPatcher.ReadDelaysCs("hello world, not a gif"u8));
        Assert.Null(GifDelayPatcher.ReadDelaysCs([]));
    }

    [Fact]
    public void MapMergedListings_SumsDelaysOfMergedSourceFrames()
    {
        // 4 frames listed once; the encoder merged frames 1 and 2 (identical) into one 2 cs frame.
        Assert.Equal([10, 50, 40], GifDelayPatcher.MapMergedListings([1, 2, 1], [0, 1, 2, 3], [100, 200, 300, 400])!);
        // Single frame listed twice and merged: its own delay once.
        Assert.Equal([7], GifDelayPatcher.MapMergedListings([2], [0, 0], [70])!);
        // Output does not account for every listing: cannot map.
        Assert.Null(GifDelayPatcher.MapMergedListings([1, 1], [0, 1, 2], [10, 10, 10]));
    }
}
