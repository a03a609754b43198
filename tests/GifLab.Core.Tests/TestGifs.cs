namespace GifLab.Core.Tests;

/// <summary>
/// Catalogue of the small GIFs committed under <c>testdata/gifs/</c> (modelled on ImageSharp's <c>TestImages</c>).
/// Each constant is a path relative to <c>testdata/gifs</c>; its comment says where the file came from and what
/// it exercises. Provenance, commits and licences: <c>testdata/gifs/README.md</c>. Use <see cref="Path"/> or
/// <see cref="Read"/> to load one.
/// </summary>
public static class TestGifs
{
    private static readonly Lazy<string> RepoRootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "GifLab.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException(
            $"Could not find GifLab.slnx above {AppContext.BaseDirectory}");
    });

    /// <summary>The repository root (the folder holding GifLab.slnx).</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary><c>testdata/gifs</c> in the repository.</summary>
    public static string Root => System.IO.Path.Combine(RepoRoot, "testdata", "gifs");

    /// <summary>
    /// The shared test corpus (<c>$GIFLAB_CORPUS</c>, else <c>../shared/corpus</c> beside the repository),
    /// or null when it is absent (a plain clone): corpus-wide tests then skip with a message.
    /// </summary>
    public static string? Corpus
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("GIFLAB_CORPUS");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            var sibling = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared", "corpus"));
            return Directory.Exists(sibling) ? sibling : null;
        }
    }

    /// <summary>Absolute path of a catalogue entry.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Bytes of a catalogue entry.</summary>
    public static byte[] Read(string relative) => File.ReadAllBytes(Path(relative));

    /// <summary>Disposal methods (GIF89a §23).</summary>
    public static class Disposal
    {
        /// <summary>Pillow Tests/images: 100×100, 5 frames, disposal 1 (keep), sub-frames with local colour tables.</summary>
        public const string None = "pillow/dispose_none.gif";

        /// <summary>Pillow Tests/images: 100×100, 5 frames, disposal 2 (restore to background).</summary>
        public const string RestoreBackground = "pillow/dispose_bgnd.gif";

        /// <summary>Pillow Tests/images: 100×100, 5 frames, disposal 3 (restore to previous).</summary>
        public const string RestorePrevious = "pillow/dispose_prev.gif";

        /// <summary>Pillow Tests/images: 100×50, 2 frames, restore-to-previous on the very first frame, transparency.</summary>
        public const string RestorePreviousFirstFrame = "pillow/dispose_prev_first_frame.gif";

        /// <summary>image-rs/image: 32×32, 5 frames mixing keep/background/previous, local palettes, transparency;
        /// first frame reference rendering in <c>mixed-disposal.gif.png</c>.</summary>
        public const string Mixed = "image-rs-image/mixed-disposal.gif";

        /// <summary>image-rs/image: 32×32, 5 transparent 16×16 frames with no disposal given; first-frame reference
        /// rendering in <c>any-disposal.gif.png</c>.</summary>
        public const string Any = "image-rs-image/any-disposal.gif";

        /// <summary>Pillow Tests/images: real emoticon animation, 10 frames, transparency + restore to background.</summary>
        public const string BackgroundWithTransparency = "pillow/dispose_bgnd_transparency.gif";
    }

    /// <summary>Transparency (GCE transparent index).</summary>
    public static class Transparency
    {
        /// <summary>wuffs artificial-gif: 4×2, 2 frames, transparent index handling.</summary>
        public const string Index = "wuffs/transparent-index.gif";

        /// <summary>GifLab's own fixture (Animately/giflab): 64×64 gradient, 4 frames, transparency on every frame,
        /// local colour tables on 3 frames; ImageMagick reports 'invalid colormap index'.</summary>
        public const string GradientLocalPalettes = "giflab/transparency_bearing_monotonicity.gif";
    }

    /// <summary>Interlaced images (GIF89a Appendix E).</summary>
    public static class Interlace
    {
        /// <summary>wuffs: 36×28 photo crop, interlaced; pixel-identical to <see cref="Regular"/>.</summary>
        public const string Photo = "wuffs/hippopotamus.interlaced.gif";

        /// <summary>wuffs: the non-interlaced twin of <see cref="Photo"/>.</summary>
        public const string Regular = "wuffs/hippopotamus.regular.gif";

        /// <summary>wuffs artificial-gif: 5×5 screen, interlaced frame with fewer than 8 rows.</summary>
        public const string SmallFrame = "wuffs/small-frame-interlaced.gif";
    }

    /// <summary>Geometry and looping.</summary>
    public static class Geometry
    {
        /// <summary>wuffs artificial-gif: 2×2 screen, 4 frames partly/fully outside the canvas.</summary>
        public const string FrameOutOfBounds = "wuffs/frame-out-of-bounds.gif";

        /// <summary>image-rs/image: 32×32 screen, a 16×16 frame at (24,24) reaching past the screen; reference PNG
        /// (clipped to the declared screen) beside it.</summary>
        public const string OutOfBounds = "image-rs-image/oob.gif";

        /// <summary>wuffs artificial-gif: 4 frames, several NETSCAPE2.0 loop counts (50, 30, 40).</summary>
        public const string MultipleLoopCounts = "wuffs/multiple-loop-counts.gif";
    }

    /// <summary>Real animations.</summary>
    public static class Real
    {
        /// <summary>wuffs: Muybridge race horse (public domain), 30×20, 15 frames, 256-colour global table, loop forever.</summary>
        public const string Muybridge = "wuffs/muybridge.gif";

        /// <summary>lovell/sharp test fixture: maths diagram, 10 frames, NETSCAPE loop count 2 (3 plays), transparency.</summary>
        public const string AnimatedLoop3 = "sharp/animated-loop-3.gif";
    }

    /// <summary>Damaged files.</summary>
    public static class Malformed
    {
        /// <summary>wuffs: the interlaced photo truncated at 1024 bytes (no trailer, missing pixels).</summary>
        public const string Truncated = "wuffs/hippopotamus.interlaced.truncated.gif";

        /// <summary>wuffs artificial-gif: bad LZW code after all expected pixels (must decode fine).</summary>
        public const string BadLzwAfterPixels = "wuffs/pixel-data-too-much-bad-lzw.gif";

        /// <summary>libnsgif test/data: LZW code table overflow (invalid first code).</summary>
        public const string LzwOverflow = "libnsgif/lzwof.gif";

        /// <summary>libnsgif test/data: LZW minimum code size 12 (out of range).</summary>
        public const string LzwCodeSizeTooLarge = "libnsgif/lzwoob.gif";
    }

    /// <summary>The pygif conformance suite (robert-ancell/pygif, CC-BY-SA-4.0), split like the shared corpus.</summary>
    public static class Pygif
    {
        /// <summary>Folder of the suite's valid-but-unusual tests (TESTS, *.conf, *.gif, *.rgba).</summary>
        public const string Edge = "pygif-test-suite/edge";

        /// <summary>Folder of the suite's malformed tests.</summary>
        public const string Malformed = "pygif-test-suite/malformed";

        /// <summary>Zero-size image whose data is truncated inside its local colour table (expected: one transparent frame).</summary>
        public const string ImageZeroSize = "pygif-test-suite/malformed/image-zero-size.gif";

        /// <summary>Pixel index 2 with a 2-entry colour table.</summary>
        public const string InvalidColors = "pygif-test-suite/malformed/invalid-colors.gif";

        /// <summary>Canvas 65535×65535 (limit test).</summary>
        public const string MaxSize = "pygif-test-suite/edge/max-size.gif";
    }
}
