using GifLab.Fuzz;
using Xunit.Abstractions;

namespace GifLab.Tests.Reliability;

/// <summary>
/// A fixed-seed sample of the decoder fuzzer (scripts/fuzz-decoder.sh runs 100,000+): 3,000 mutations of the committed
/// test GIFs through GifDecoder.Decode with default (production) limits. Only GifFormatException may escape, no input
/// may take over 2 s. GIFLAB_FUZZ_INPUTS raises the count.
/// </summary>
public class DecoderFuzzTests(ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task Mutations_OnlyGifFormatException_NoHang()
    {
        var count = long.TryParse(Environment.GetEnvironmentVariable("GIFLAB_FUZZ_INPUTS"), out var n) ? n : 3000;
        var seeds = DecoderFuzzer.LoadSeeds([Path.Combine(Engines.TestEnvironment.RepoRoot, "testdata", "gifs")]);
        Assert.True(seeds.Count >= 50, $"{seeds.Count} seed files");
        // Hang guard, not a benchmark: the slowest input decodes in ~0.5 s alone, and the test assemblies run side by
        // side on a 2-core machine (one input took 2.3 s so), so only an input 20× slower than that counts as a hang.
        var report = await Task.Run(() => new DecoderFuzzer(seeds, seed: 20261124, TimeSpan.FromSeconds(10)).Run(count));
        output.WriteLine(report.ToString());
        Assert.Equal(count, report.Inputs);
        Assert.True(report.Unhandled == 0, string.Join('\n', report.Findings));
        Assert.True(report.Hangs == 0, string.Join('\n', report.Findings));
        Assert.True(report.Decoded > 0 && report.FormatErrors > 0, "the mutations no longer exercise both outcomes");
    }

    [Fact]
    public void Mutator_IsDeterministicForASeed()
    {
        var seeds = DecoderFuzzer.LoadSeeds([Path.Combine(Engines.TestEnvironment.RepoRoot, "testdata", "gifs")]);
        var a = new DecoderFuzzer(seeds, 7, TimeSpan.FromSeconds(2));
        var b = new DecoderFuzzer(seeds, 7, TimeSpan.FromSeconds(2));
        for (var i = 0; i < 200; i++) Assert.Equal(a.Mutate().Input, b.Mutate().Input);
    }
}
