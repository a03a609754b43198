using GifLab.Core.Metrics;

namespace GifLab.Core.Tests.Metrics;

/// <summary>docs/metrics.md has one row per registry entry, in order, listing exactly its keys.</summary>
public sealed class MetricDocsTests
{
    [Fact]
    public void MetricsDoc_HasOneRowPerRegistryEntry_WithItsKeys()
    {
        var lines = File.ReadAllLines(Path.Combine(TestGifs.RepoRoot, "docs", "metrics.md"));
        var rows = lines.Where(l => l.StartsWith("| `", StringComparison.Ordinal) && l.Split('|').Length >= 9).ToList();
        var registryRows = rows.Where(r => MetricRegistry.All.Any(m => r.StartsWith($"| `{m.Info.Name}` |", StringComparison.Ordinal))).ToList();
        Assert.Equal(MetricRegistry.All.Length, registryRows.Count);
        for (int i = 0; i < MetricRegistry.All.Length; i++)
        {
            var info = MetricRegistry.All[i].Info;
            var cells = registryRows[i].Split('|');
            Assert.Equal($"`{info.Name}`", cells[1].Trim());
            Assert.Equal(info.Version.ToString(), cells[2].Trim());
            Assert.Equal(string.Join(", ", info.Outputs.Select(o => $"`{o}`")), cells[3].Trim());
        }
    }

    [Fact]
    public void OutputKeys_AreUnique_AndSnakeCase()
    {
        Assert.Equal(MetricRegistry.OutputKeys.Length, MetricRegistry.OutputKeys.Distinct().Count());
        Assert.All(MetricRegistry.OutputKeys, k => Assert.Matches("^[a-z][a-z0-9_]*$", k));
        Assert.All(MetricRegistry.All, m => Assert.Equal(m.Info.Name, m.Info.Outputs[0]));
    }
}
