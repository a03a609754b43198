using System.Text.Json;
using GifLab.Cli;
using GifLab.Cli.Commands;

namespace GifLab.Cli.Tests;

public class FeaturesCommandTests : IDisposable
{
    // features.md Appendix A, GIF A (231 bytes, sha 6a71…35f6).
    private const string GifA =
        "R0lGODlhIAAYAIIAAP8AAACA/yjIKPr6+gAAAAAAAAAAAAAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQACgAAACwAAAAAIAAYAEAImQAJABhIsKDBAAgTKlwYwCBBgQ4ZSkwooKLFixgFEBjAsaPHjwUhOiQ4cWLGjAQsflz58aRLAR43suw4UORIkiUZOrR5MOfCmzV7+qT48mLKmTOLZuQoEylHpRhXNl0JgCfQoQofAsWJtWHIrV0RjrQ6MKzXsRHDbq1a0CxUjRWdrnxbcarcAXTj2kWaFybTu30/7vUYWOrMgAA7";

    private readonly string _dir = Directory.CreateTempSubdirectory("giflab-features-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Parse_AcceptsFilesAndFormat_RejectsUnknownFormat()
    {
        Assert.Empty(Program.BuildRoot().Parse(["features", "a.gif", "b.gif", "--format", "json"]).Errors);
        Assert.NotEmpty(Program.BuildRoot().Parse(["features", "a.gif", "--format", "xml"]).Errors);
        Assert.NotEmpty(Program.BuildRoot().Parse(["features"]).Errors);
    }

    [Fact]
    public void Json_OneFile_PrintsOneObject()
    {
        var a = Write("a.gif", Convert.FromBase64String(GifA));
        var stdout = new StringWriter(); var stderr = new StringWriter();
        Assert.Equal(ExitCodes.Ok, FeaturesCommand.Run([a], "json", stdout, stderr));
        using var doc = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("6a714667d9d60fc6f6d09a337676d873cc4143388c924fa0b5ed0947c49e35f6", doc.RootElement.GetProperty("gif_sha").GetString());
        Assert.Equal("a.gif", doc.RootElement.GetProperty("gif_name").GetString());
        Assert.Equal(5, doc.RootElement.GetProperty("unique_colors").GetInt32());
        Assert.True(GifLab.Core.Features.ContentTypes.TryParse(doc.RootElement.GetProperty("content_type").GetString(), out _));
    }

    [Fact]
    public void BadFile_Exit6_NamesTheFile_OthersStillPrinted()
    {
        var a = Write("a.gif", Convert.FromBase64String(GifA));
        var junk = Write("junk.gif", [1, 2, 3, 4]);
        var missing = Path.Combine(_dir, "missing.gif");
        var stdout = new StringWriter(); var stderr = new StringWriter();
        Assert.Equal(ExitCodes.InputError, FeaturesCommand.Run([a, junk, missing], "json", stdout, stderr));
        using var doc = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(1, doc.RootElement.GetArrayLength());
        Assert.Contains("junk.gif", stderr.ToString());
        Assert.Contains("missing.gif", stderr.ToString());

        var table = new StringWriter();
        Assert.Equal(ExitCodes.InputError, FeaturesCommand.Run([junk, a], "table", table, new StringWriter()));
        Assert.Contains("edge_density", table.ToString());
        Assert.Contains("content_type", table.ToString());
        Assert.Contains("0.09375", table.ToString());
    }
}
