using GifLab.Core.Decoding;
using GifLab.Core.Model;
using Xunit.Abstractions;

namespace GifLab.Core.Tests.Decoding;

/// <summary>
/// Conformance against the pygif GIF decoder test suite (robert-ancell/pygif, CC-BY-SA-4.0; copied whole into
/// <c>testdata/gifs/pygif-test-suite/{edge,malformed}</c>). Each <c>NAME.conf</c> gives the expected canvas
/// size, loop count, per-frame delay (1/100 s) and fully composited RGBA pixels (<c>*.rgba</c>), produced by
/// the suite's generator — an independent reference. <c>frames =</c> empty means the decoder should reject the
/// file. Pixels compare as pygif's own runner does: two pixels with alpha 0 are equal whatever their RGB.
/// </summary>
public sealed class PygifConformanceTests(ITestOutputHelper output)
{
    /// <summary>
    /// Documented deviations: tests where GifLab deliberately differs from the suite's expectation.
    /// Keep in sync with testdata/gifs/README.md.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Deviations = new Dictionary<string, string>
    {
        ["plain-text"] =
            "The suite lists no frames (its generator does not render §25 plain text). GifLab skips the plain-text "
            + "extension, as browsers do, and decodes the ordinary image that follows; gifsicle, Pillow and "
            + "ImageMagick all accept the file (MANIFEST.tsv).",
        ["gif87a-animation"] =
            "The suite expects loop-count 'infinite' for a GIF87a file without any loop extension (an 'animation "
            + "heuristic' pygif's own runner skips this test for). GifLab reports what the file says: LoopCount -1 "
            + "(no NETSCAPE2.0 extension). Frames and pixels match.",
        ["invalid-colors"] =
            "The suite expects rejection of a pixel index outside the 2-entry colour table. Lenient mode (the "
            + "default) renders it opaque black — what pygif's own reference renderer does (run-test-suite "
            + "get_color) and what browsers do — and records a warning, so real files with stray indices still "
            + "decode; strict mode rejects it with GifErrorKind.InvalidColorIndex "
            + "(GifDecoderTests.Decode_OutOfRangeIndex_StrictModeRejects).",
    };

    private static string SuiteRoot => Path.Combine(TestGifs.Root, "pygif-test-suite");

    [Fact]
    public void Decode_PygifSuite_MatchesExpectedOutputs()
    {
        var passed = 0;
        var total = 0;
        var unexpected = new List<string>();
        foreach (var folder in new[] { "edge", "malformed" })
        {
            var dir = Path.Combine(SuiteRoot, folder);
            foreach (var name in File.ReadAllLines(Path.Combine(dir, "TESTS")).Select(l => l.Trim()).Where(l => l.Length > 0))
            {
                total++;
                var failure = RunTest(dir, name);
                if (failure is null)
                {
                    passed++;
                    if (Deviations.ContainsKey(name)) output.WriteLine($"  {name}: listed as a deviation but now passes");
                }
                else if (Deviations.TryGetValue(name, out var reason))
                {
                    output.WriteLine($"  {name}: deviation ({failure}) — {reason}");
                }
                else
                {
                    unexpected.Add($"{folder}/{name}: {failure}");
                }
            }
        }
        output.WriteLine($"pygif conformance: {passed}/{total} passed");
        foreach (var u in unexpected) output.WriteLine("  FAIL " + u);
        Assert.True(unexpected.Count == 0, "Unexpected pygif failures:\n" + string.Join("\n", unexpected));
    }

    /// <summary>Runs one suite test; returns null on pass, else what differed.</summary>
    private static string? RunTest(string dir, string name)
    {
        var conf = Ini.Parse(File.ReadAllLines(Path.Combine(dir, name + ".conf")));
        var c = conf["config"];
        var data = File.ReadAllBytes(Path.Combine(dir, c["input"]));
        var expectedFrames = c["frames"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        FrameSequence seq;
        try
        {
            seq = GifDecoder.Decode(data);
        }
        catch (GifFormatException e)
        {
            return expectedFrames.Length == 0 ? null : $"rejected ({e.Kind}: {e.Message}) but {expectedFrames.Length} frame(s) expected";
        }
        if (expectedFrames.Length == 0)
            return $"decoded {seq.FrameCount} frame(s) but the suite expects rejection";

        var width = int.Parse(c["width"]);
        var height = int.Parse(c["height"]);
        if (seq.Width != width || seq.Height != height)
            return $"canvas {seq.Width}×{seq.Height}, expected {width}×{height}";

        // GifLab emits one frame per image; pygif folds zero-delay images into the next delayed one
        // (animation-multi-image*, images-combine). Map suite frames to the images that end each group.
        var frames = seq.Frames;
        IReadOnlyList<Frame> compared = frames;
        if (frames.Count != expectedFrames.Length)
        {
            var ends = new List<Frame>();
            for (var i = 0; i < frames.Count; i++)
                if (frames[i].DelayMs > 0 || i == frames.Count - 1) ends.Add(frames[i]);
            if (ends.Count != expectedFrames.Length)
                return $"{frames.Count} frames, expected {expectedFrames.Length}";
            compared = ends;
        }

        for (var k = 0; k < expectedFrames.Length; k++)
        {
            var fc = conf[expectedFrames[k]];
            var expectedDelayMs = fc.TryGetValue("delay", out var d) ? int.Parse(d) * 10 : 0;
            if (compared[k].DelayMs != expectedDelayMs)
                return $"frame {k} delay {compared[k].DelayMs} ms, expected {expectedDelayMs} ms";
            var expected = File.ReadAllBytes(Path.Combine(dir, fc["pixels"].Trim()));
            var actual = compared[k].Rgba;
            if (expected.Length != actual.Length)
                return $"frame {k} has {actual.Length} RGBA bytes, expected {expected.Length}";
            for (var p = 0; p < expected.Length; p += 4)
            {
                if (expected[p + 3] == 0 && actual[p + 3] == 0) continue;
                if (expected.AsSpan(p, 4).SequenceEqual(actual.AsSpan(p, 4))) continue;
                var px = p / 4;
                return $"frame {k} pixel ({px % width},{px / width}) = {Hex(actual, p)}, expected {Hex(expected, p)}";
            }
        }

        // Checked last, so a loop-count-only difference reports that frames and pixels matched.
        // pygif reports 'infinite' for a NETSCAPE loop count of 0 and 0 when there is no loop extension.
        var loop = c["loop-count"];
        var expectedLoop = loop == "infinite" ? 0 : int.Parse(loop) == 0 ? -1 : int.Parse(loop);
        if (seq.Info.LoopCount != expectedLoop)
            return $"loop count {seq.Info.LoopCount}, expected {expectedLoop} (suite '{loop}'); frames and pixels match";
        return null;
    }

    private static string Hex(byte[] b, int p) => $"#{b[p]:x2}{b[p + 1]:x2}{b[p + 2]:x2}{b[p + 3]:x2}";

    /// <summary>Minimal INI reader for the suite's .conf files (sections, key = value, # comments).</summary>
    private static class Ini
    {
        public static Dictionary<string, Dictionary<string, string>> Parse(IEnumerable<string> lines)
        {
            var result = new Dictionary<string, Dictionary<string, string>>();
            Dictionary<string, string>? section = null;
            foreach (var raw in lines)
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                if (line[0] == '[')
                {
                    section = new Dictionary<string, string>();
                    result[line[1..^1]] = section;
                    continue;
                }
                var eq = line.IndexOf('=');
                if (eq < 0 || section is null) continue;
                section[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
            return result;
        }
    }
}
