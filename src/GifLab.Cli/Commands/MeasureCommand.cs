using System.CommandLine;
using System.Globalization;
using System.Text;
using GifLab.Core.Decoding;
using GifLab.Core.Metrics;
using GifLab.Core.Model;
using GifLab.Metrics;

namespace GifLab.Cli.Commands;

/// <summary>
/// <c>giflab measure ORIGINAL.gif COMPRESSED.gif [--format table|json]</c>: decodes both files and
/// prints every metric key of <see cref="MetricRegistry.OutputKeys"/>, computed exactly (every frame
/// pair, no sampling). JSON: the metrics document <c>giflab run</c> stores (<see cref="MetricsDocument"/>), indented:
/// keys as top-level numbers (null where null), <c>metric_set_version</c>, <c>lpips_model</c> when an LPIPS model is
/// configured, and <c>null_reasons</c> when some key is null.
/// Exit 0 ok, 4 LPIPS model configured but not loadable, 6 unreadable/undecodable input or different canvas sizes.
/// </summary>
internal static class MeasureCommand
{
    private static readonly Argument<string> Original = new("original") { Description = "The original GIF." };
    private static readonly Argument<string> Compressed = new("compressed") { Description = "The compressed GIF to compare with it." };

    public static Command Create()
    {
        var format = CommonOptions.Format("table", "json");
        var command = new Command("measure",
            "Compute every quality metric of COMPRESSED against ORIGINAL on every frame pair (exact). " +
            "LPIPS uses the ONNX model in GIFLAB_LPIPS_MODEL when set. The two GIFs must have the same canvas size (else exit 6).")
        {
            Original, Compressed, format,
        };
        command.SetAction(parse => Run(parse.GetValue(Original)!, parse.GetValue(Compressed)!, parse.GetValue(format)!,
                                       Console.Out, Console.Error));
        return command;
    }

    internal static int Run(string originalPath, string compressedPath, string format, TextWriter stdout, TextWriter stderr)
    {
        OnnxLpipsModel? lpips;
        try
        {
            lpips = OnnxLpipsModel.LoadFromEnvironment();
        }
        catch (LpipsModelException e)
        {
            stderr.WriteLine($"error: LPIPS model ({OnnxLpipsModel.EnvironmentVariable}): {e.Message}");
            return ExitCodes.ToolMissing;
        }
        using var model = lpips;
        if (!TryDecode(originalPath, stderr, out var original, out long originalBytes)) return ExitCodes.InputError;
        if (!TryDecode(compressedPath, stderr, out var compressed, out long compressedBytes)) return ExitCodes.InputError;
        if (original.Width != compressed.Width || original.Height != compressed.Height)
        {
            // Every metric compares pixel by pixel: different canvases would give only nulls, never an answer.
            stderr.WriteLine($"error: the canvases differ: '{originalPath}' is {original.Width}×{original.Height}, '{compressedPath}' is " +
                             $"{compressed.Width}×{compressed.Height}; measure compares a GIF with a compressed version of itself (same canvas size).");
            return ExitCodes.InputError;
        }

        var suite = new MetricSuite();
        // Exact: every pair. The SSIMULACRA 2 sample size then decides only which original pyramids stay cached for
        // later candidates; measure has one candidate, so it keeps one and builds the others into reused planes.
        var options = new MetricOptions(Exact: true, Ssimulacra2MaxPairs: 1) { LpipsModelPath = model?.Path, LpipsModel = model };
        var result = suite.Measure(suite.Prepare(original, options), compressed, options, originalBytes, compressedBytes);
        stdout.Write(format == "json" ? ToJson(result) : ToTable(result));
        return ExitCodes.Ok;
    }

    private static bool TryDecode(string path, TextWriter stderr, out FrameSequence frames, out long bytes)
    {
        frames = null!;
        bytes = 0;
        byte[] data;
        if (Directory.Exists(path))
        {
            stderr.WriteLine($"error: '{path}' is a folder, not a GIF file.");
            return false;
        }
        try
        {
            data = GifLab.Discovery.InputFile.ReadAllBytes(path); // regular files only, size-capped
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"error: cannot read '{path}': {e.Message}");
            return false;
        }
        try
        {
            frames = GifDecoder.Decode(data);
            bytes = data.LongLength;
            return true;
        }
        catch (GifFormatException e)
        {
            stderr.WriteLine($"error: cannot decode '{path}' as a GIF ({e.Kind}): {e.Message}");
            return false;
        }
    }

    /// <summary>The metrics document (<see cref="MetricsDocument"/>, the form <c>giflab run</c> stores), indented.</summary>
    internal static string ToJson(MetricResult result) => MetricsDocument.Write(result, indented: true) + Environment.NewLine;

    internal static string ToTable(MetricResult result)
    {
        var sb = new StringBuilder();
        int width = MetricRegistry.OutputKeys.Max(k => k.Length);
        foreach (var key in MetricRegistry.OutputKeys)
        {
            string value = result.Values[key] is { } v
                ? v.ToString("G8", CultureInfo.InvariantCulture)
                : "null  (" + result.NullReasons[key] + ")";
            sb.Append(key.PadRight(width)).Append("  ").AppendLine(value);
        }
        sb.Append("metric_set_version".PadRight(width)).Append("  ").AppendLine(result.SetVersion.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, note) in result.Notes) sb.Append(key.PadRight(width)).Append("  ").AppendLine(note);
        return sb.ToString();
    }
}
