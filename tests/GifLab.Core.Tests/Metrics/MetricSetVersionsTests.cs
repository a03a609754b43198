using GifLab.Core.Metrics;

namespace GifLab.Core.Tests.Metrics;

/// <summary>Per-metric versions are recorded through the set version: the current set's row is the registry.</summary>
public sealed class MetricSetVersionsTests
{
    [Fact]
    public void CurrentSetRow_EqualsTheRegistry_InOrder()
    {
        var row = MetricSetVersions.Of(MetricSuite.SetVersion);
        Assert.True(row is not null, $"metric set {MetricSuite.SetVersion} has no row in MetricSetVersions.All: add one");
        Assert.Equal(MetricRegistry.All.Select(m => KeyValuePair.Create(m.Info.Name, m.Info.Version)), row!);
    }

    [Fact]
    public void Rows_AreAscending_AndEndAtTheCurrentSet()
    {
        var sets = MetricSetVersions.All.Select(r => r.SetVersion).ToList();
        Assert.Equal(sets.Order(), sets);
        Assert.Equal(sets.Count, sets.Distinct().Count());
        Assert.Equal(MetricSuite.SetVersion, sets[^1]);
        Assert.Null(MetricSetVersions.Of(MetricSuite.SetVersion + 1));
    }
}
