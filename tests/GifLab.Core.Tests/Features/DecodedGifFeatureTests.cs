using GifLab.Core.Decoding;
using GifLab.Core.Features;
using Xunit.Abstractions;

namespace GifLab.Core.Tests.Features;

/// <summary>
/// End to end with our decoder: the Appendix A GIFs (base64 copied from features.md) against the reference's
/// printed values, and schema validity on every GIF of the committed and shared corpora.
/// </summary>
public class DecodedGifFeatureTests(ITestOutputHelper output)
{
    /// <summary>features.md Appendix A, GIF A (32×24, 1 frame, 231 bytes).</summary>
    public const string GifA =
        "R0lGODlhIAAYAIIAAP8AAACA/yjIKPr6+gAAAAAAAAAAAAAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQACgAAACwAAAAAIAAYAEAImQAJABhIsKDBAAgTKlwYwCBBgQ4ZSkwooKLFixgFEBjAsaPHjwUhOiQ4cWLGjAQsflz58aRLAR43suw4UORIkiUZOrR5MOfCmzV7+qT48mLKmTOLZuQoEylHpRhXNl0JgCfQoQofAsWJtWHIrV0RjrQ6MKzXsRHDbq1a0CxUjRWdrnxbcarcAXTj2kWaFybTu30/7vUYWOrMgAA7";

    /// <summary>features.md Appendix A, GIF B (32×24, 4 frames, sub-rectangle frames, 341 bytes).</summary>
    public const string GifB =
        "R0lGODlhIAAYAIEAAFpaWhQo3P///wAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQACAAAACwAAAAAIAAYAAAIYgABCBxIsKDBgwESHlzIsGDCAA0jLnwosSJBihYtYswocSPHhh4/TlQoUIDJkyIFbjyJMuVKlgJSAnjJUibNliJvmrRJUibCnj4dAg06MCTRmUOPGiW6NGhTn095Qjx6UWFAACH5BAAIAAAALAIACAALAAYAgVpaWhQo3P///wAAAAgaAAEIFCigoMGBBA0WRAhA4UKEDgUwjDjRYUAAIfkEAAwAAAAsBwAIAAsABgCBWlpaFCjc////AAAACBoAAQgUKKCgwYEEDRZECEDhQoQOBTCMONFhQAAh+QQADAAAACwMAAgACwAGAIFaWloUKNz///8AAAAIGgABCBQooKDBgQQNFkQIQOFChA4FMIw40WFAADs=";

    private static GifFeatures ExtractGif(byte[] bytes, string name) =>
        FeatureExtractor.Extract(GifDecoder.Decode(bytes), bytes, FeatureTestData.Sha(bytes), name, DateTimeOffset.UnixEpoch);

    [Fact]
    public void AppendixA_GifA_Decoded_MatchesReference()
    {
        var bytes = Convert.FromBase64String(GifA);
        var f = ExtractGif(bytes, "a.gif");
        Assert.Equal(AppendixATests.ShaA, f.GifSha);
        AppendixATests.AssertMatches(AppendixATests.ReferenceA, f);
    }

    [Fact]
    public void AppendixA_GifB_Decoded_MatchesReference()
    {
        var bytes = Convert.FromBase64String(GifB);
        var f = ExtractGif(bytes, "b.gif");
        Assert.Equal(AppendixATests.ShaB, f.GifSha);
        AppendixATests.AssertMatches(AppendixATests.ReferenceB, f);
    }

    [Fact]
    public void CommittedGifs_AllDecodableOnes_GiveValidRecords()
    {
        var root = Path.Combine(TestGifs.RepoRoot, "testdata", "gifs");
        var ok = ExtractAll(Directory.EnumerateFiles(root, "*.gif", SearchOption.AllDirectories));
        Assert.True(ok > 10, $"only {ok} committed GIFs decoded");
    }

    [Fact]
    public void SharedRealCorpus_EveryFile_GivesAValidRecord()
    {
        var corpus = TestGifs.Corpus;
        if (corpus is null || !Directory.Exists(Path.Combine(corpus, "real")))
        {
            output.WriteLine("Shared corpus absent (../shared/corpus or $GIFLAB_CORPUS): skipped.");
            return;
        }
        var files = Directory.EnumerateFiles(Path.Combine(corpus, "real"), "*.gif", SearchOption.AllDirectories).ToList();
        Assert.Equal(files.Count, ExtractAll(files, requireDecode: true));
    }

    /// <summary>Extracts every decodable file (Extract validates the schema); returns how many succeeded.</summary>
    private int ExtractAll(IEnumerable<string> files, bool requireDecode = false)
    {
        var ok = 0;
        foreach (var path in files)
        {
            var bytes = File.ReadAllBytes(path);
            Core.Model.FrameSequence seq;
            try { seq = GifDecoder.Decode(bytes); }
            catch (GifFormatException e)
            {
                Assert.False(requireDecode, $"{path}: {e.Message}");
                continue;
            }
            var f = FeatureExtractor.Extract(seq, bytes, FeatureTestData.Sha(bytes), Path.GetFileName(path), DateTimeOffset.UnixEpoch);
            Assert.Equal(f.ToJson(), GifFeatures.FromJson(f.ToJson()).ToJson());
            Assert.Equal(seq.FrameCount, f.FrameCount);
            Assert.InRange(f.UniqueColors, 1, 256);
            ok++;
        }
        output.WriteLine($"{ok} GIFs gave valid records.");
        return ok;
    }
}
