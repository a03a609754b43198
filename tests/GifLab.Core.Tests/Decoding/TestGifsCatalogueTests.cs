namespace GifLab.Core.Tests.Decoding;

public sealed class TestGifsCatalogueTests
{
    /// <summary>Every catalogue constant names a committed file (or folder).</summary>
    [Fact]
    public void Catalogue_EveryEntryExists()
    {
        var entries = typeof(TestGifs).GetNestedTypes()
            .SelectMany(t => t.GetFields())
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (Name: $"{f.DeclaringType!.Name}.{f.Name}", Path: (string)f.GetRawConstantValue()!))
            .ToList();
        Assert.True(entries.Count >= 20);
        foreach (var (name, path) in entries)
            Assert.True(File.Exists(TestGifs.Path(path)) || Directory.Exists(TestGifs.Path(path)), $"{name}: {path} missing");
    }
}
