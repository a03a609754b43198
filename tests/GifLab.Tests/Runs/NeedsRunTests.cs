using GifLab.Core.Metrics;
using GifLab.Runs;
using GifLab.Storage;

namespace GifLab.Tests.Runs;

public class NeedsRunTests
{
    private static readonly RunOptions Plain = new() { InputPath = "x" };

    [Fact] public void NothingStored_Runs() => Assert.True(RerunPolicy.NeedsRun(null, Plain));
    [Fact] public void Valid_IsSkipped() => Assert.False(RerunPolicy.NeedsRun(new RunState(true, "valid", MetricSuite.SetVersion, null), Plain));
    [Fact] public void Valid_WithForce_Runs() => Assert.True(RerunPolicy.NeedsRun(new RunState(true, "valid", MetricSuite.SetVersion, null), Plain with { Force = true }));
    [Fact] public void TransientError_IsRetried() => Assert.True(RerunPolicy.NeedsRun(new RunState(true, "error", 1, false), Plain));
    [Fact] public void PermanentError_IsRemembered() => Assert.False(RerunPolicy.NeedsRun(new RunState(true, "error", 1, true), Plain));
    [Fact] public void PermanentError_WithRetryFailed_Runs() => Assert.True(RerunPolicy.NeedsRun(new RunState(true, "error", 1, true), Plain with { RetryFailed = true }));
    [Fact] public void Corrupted_IsRemembered() => Assert.False(RerunPolicy.NeedsRun(new RunState(true, "corrupted", 1, true), Plain));
    [Fact] public void OlderMetricSet_WithUpgrade_Runs() => Assert.True(RerunPolicy.NeedsRun(new RunState(true, "valid", MetricSuite.SetVersion - 1, null), Plain with { Upgrade = true }));

    [Fact]
    public void ShardOf_IsStableAndCoversAllShards()
    {
        var shas = Enumerable.Range(0, 400).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)))).ToList();
        var shards = shas.Select(s => LocalWorkSource.ShardOf(s, 4)).ToList();
        Assert.All(shards, k => Assert.InRange(k, 1, 4));
        Assert.Equal(4, shards.Distinct().Count());
        Assert.Equal(shards, shas.Select(s => LocalWorkSource.ShardOf(s, 4)));
    }
}
