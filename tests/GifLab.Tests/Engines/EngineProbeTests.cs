using GifLab.Engines;

namespace GifLab.Tests.Engines;

public class EngineProbeTests
{
    // Verbatim from `ffmpeg -hide_banner -h filter=paletteuse` of FFmpeg 5.1.9-0+deb12u1 (Debian 12).
    private const string Ffmpeg51PaletteuseHelp = """
        Filter paletteuse
          Use a palette to downsample an input video stream.
            Inputs:
               #0: default (video)
               #1: palette (video)
            Outputs:
               #0: default (video)
        paletteuse AVOptions:
           dither            <int>        ..FV....... select dithering mode (from 0 to 5) (default sierra2_4a)
             bayer           1            ..FV....... ordered 8x8 bayer dithering (deterministic)
             heckbert        2            ..FV....... dithering as defined by Paul Heckbert in 1982 (simple error diffusion)
             floyd_steinberg 3            ..FV....... Floyd and Steingberg dithering (error diffusion)
             sierra2         4            ..FV....... Frankie Sierra dithering v2 (error diffusion)
             sierra2_4a      5            ..FV....... Frankie Sierra dithering v2 "Lite" (error diffusion)
           bayer_scale       <int>        ..FV....... set scale for bayer dithering (from 0 to 5) (default 2)
           diff_mode         <int>        ..FV....... set frame difference mode (from 0 to 1) (default 0)
             rectangle       1            ..FV....... process smallest different rectangle
        """;

    [Fact]
    public void ParseDithers_FFmpeg51_ListsSixModes_WithoutSierra3BurkesAtkinson()
    {
        var dithers = FfmpegFamily.ParseDithers(Ffmpeg51PaletteuseHelp);
        Assert.Equal(["none", "bayer", "heckbert", "floyd_steinberg", "sierra2", "sierra2_4a"], dithers);
    }

    [Fact]
    public void StatusOf_FfmpegDitherTools_UnavailableWhenTheDitherIsMissing()
    {
        var ffmpeg = new FamilyStatus(ToolFamilies.Ffmpeg, true, "/usr/bin/ffmpeg", "5.1", null,
            new Dictionary<string, string> { ["paletteuse.dithers"] = "none,bayer,heckbert,floyd_steinberg,sierra2,sierra2_4a" });
        var families = new Dictionary<string, FamilyStatus> { [ToolFamilies.Ffmpeg] = ffmpeg };
        Assert.True(EngineProbe.StatusOf(ToolRegistry.Get("ffmpeg-color-bayer3"), families).Available);
        Assert.True(EngineProbe.StatusOf(ToolRegistry.Get("ffmpeg-color-heckbert"), families).Available);
        Assert.True(EngineProbe.StatusOf(ToolRegistry.Get("ffmpeg-lossy"), families).Available);
        Assert.True(EngineProbe.StatusOf(ToolRegistry.Get("ffmpeg-frame"), families).Available);
        foreach (var broken in new[] { "ffmpeg-color-sierra3", "ffmpeg-color-burkes", "ffmpeg-color-atkinson" })
        {
            var s = EngineProbe.StatusOf(ToolRegistry.Get(broken), families);
            Assert.False(s.Available);
            Assert.Contains("paletteuse has no dither", s.Reason);
        }
        // Family missing → every tool of it unavailable with the family's reason; no-op tools always available.
        var none = EngineProbe.StatusOf(ToolRegistry.Get("gifsicle-lossy"), families);
        Assert.False(none.Available);
        Assert.True(EngineProbe.StatusOf(ToolRegistry.Get("none-lossy"), families).Available);
    }

    [Fact(Timeout = 60_000)]
    public async Task Probe_WithEmptySearchPath_EveryExternalToolUnavailableWithReason()
    {
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { SearchPath = "/nonexistent", UseEnvironment = false }, CancellationToken.None);
        Assert.Equal(37, catalog.Tools.Count);
        Assert.Equal(5, catalog.Families.Count);
        foreach (var s in catalog.Tools)
        {
            Assert.Equal(s.Tool.IsNoOp, s.Available);
            if (!s.Available) Assert.False(string.IsNullOrWhiteSpace(s.Reason));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Probe_ImageMagick_RejectsScriptWrappers()
    {
        if (OperatingSystem.IsWindows()) return;
        using var bin = TestEnvironment.NewTempDir();
        var script = bin.File("convert");
        File.WriteAllText(script, "#!/usr/bin/env python3\nprint('Version: ImageMagick 6.9.11-60 Q16')\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { SearchPath = bin.Path, UseEnvironment = false }, CancellationToken.None);
        var im = catalog.Family(ToolFamilies.ImageMagick)!;
        Assert.False(im.Available);
        Assert.Contains("script wrapper", im.Reason);
        Assert.True(EngineProbe.IsScript(script));
    }

    [Fact(Timeout = 60_000)]
    public async Task Probe_InstalledBinaries_ReportVersions()
    {
        var catalog = await EngineCatalog.ProbeAsync(new EngineSettings { UseEnvironment = false }, CancellationToken.None);
        foreach (var f in catalog.Families.Where(f => f.Available))
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Version));
            Assert.True(File.Exists(f.BinaryPath));
            Assert.False(EngineProbe.IsScript(f.BinaryPath!) && f.Family == ToolFamilies.ImageMagick);
        }
        if (catalog.Family(ToolFamilies.Gifsicle) is { Available: true } g) Assert.Matches(@"^\d+\.\d+", g.Version);
    }
}
