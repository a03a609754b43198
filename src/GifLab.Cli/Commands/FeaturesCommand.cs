using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using GifLab.Core.Decoding;
using GifLab.Core.Features;

namespace GifLab.Cli.Commands;

/// <summary>
/// <c>giflab features FILE.gif… [--format table|json]</c>: reads each file once, hashes it (SHA-256), decodes it and
/// prints its GifFeaturesV1 record. JSON: one object for one file, an array for several. Files that cannot be read
/// or decoded are reported on stderr by name; the others are still printed and the exit code is 6 (input error).
/// </summary>
internal static class FeaturesCommand
{
    private static readonly Argument<string[]> Files = new("files")
    {
        Description = "GIF files to analyse.",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Command Create()
    {
        var format = CommonOptions.Format("table", "json");
        var command = new Command("features", $"Extract the GifFeaturesV1 record (extraction {FeatureExtractor.Version}) of GIF files.");
        command.Arguments.Add(Files);
        command.Options.Add(format);
        command.SetAction(parse => Run(parse.GetValue(Files) ?? [], parse.GetValue(format) ?? "table", Console.Out, Console.Error));
        return command;
    }

    /// <summary>Extracts every file and prints the results; returns the exit code.</summary>
    internal static int Run(IReadOnlyList<string> files, string format, TextWriter stdout, TextWriter stderr)
    {
        var results = new List<GifFeatures>();
        var failed = 0;
        foreach (var path in files)
        {
            if (Directory.Exists(path))
            {
                failed++;
                stderr.WriteLine($"giflab features: {path}: is a folder, not a GIF file (give the files, e.g. {Path.Combine(path, "*.gif")})");
                continue;
            }
            try { results.Add(ExtractFile(path)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or GifFormatException
                                          or FeatureValidationException or ArgumentException)
            {
                failed++;
                stderr.WriteLine($"giflab features: {path}: {Describe(e)}");
            }
        }
        if (format == "json") WriteJson(results, files.Count, stdout);
        else if (results.Count > 0) WriteTable(results, stdout);
        return failed > 0 ? ExitCodes.InputError : ExitCodes.Ok;
    }

    private static string Describe(Exception e) => e switch
    {
        GifFormatException g => $"cannot decode ({g.Kind}): {g.Message}",
        FeatureValidationException v => $"feature out of range: {v.Message}",
        FileNotFoundException => "file not found",
        DirectoryNotFoundException => "file not found",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };

    private static GifFeatures ExtractFile(string path)
    {
        // Only regular files: a FIFO would block for ever, /dev/zero never ends (GifLab.Discovery.InputFile).
        var bytes = GifLab.Discovery.InputFile.ReadAllBytes(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var frames = GifDecoder.Decode(bytes);
        return FeatureExtractor.Extract(frames, bytes, sha, Path.GetFileName(path), DateTimeOffset.UtcNow);
    }

    private static void WriteJson(List<GifFeatures> results, int requested, TextWriter stdout)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            if (requested == 1 && results.Count == 1) WithContentType(results[0]).WriteTo(w);
            else
            {
                w.WriteStartArray();
                foreach (var r in results) WithContentType(r).WriteTo(w);
                w.WriteEndArray();
            }
        }
        if (requested == 1 && results.Count == 0) return;   // the single file failed: nothing on stdout
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>The GifFeaturesV1 record plus <c>content_type</c> (ContentTypeClassifier over its values; not a schema field).</summary>
    private static System.Text.Json.Nodes.JsonNode WithContentType(GifFeatures features)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(features.ToJson())!;
        node["content_type"] = ContentTypeClassifier.Classify(features).Name();
        return node;
    }

    /// <summary>One row per field, one column per file.</summary>
    private static void WriteTable(List<GifFeatures> results, TextWriter stdout)
    {
        var rows = new List<string[]>
        {
            Row(FeatureNames.GifName, results, r => r.GifName),
            Row(FeatureNames.GifSha, results, r => r.GifSha[..16] + "…"),
            Row(FeatureNames.ExtractionVersion, results, r => r.ExtractionVersion),
            Row("content_type", results, r => ContentTypeClassifier.Classify(r).Name()),
        };
        foreach (var info in FeatureRegistry.Outputs)
            rows.Add(Row(info.Name, results, r => Format(r.Values[info.Name], info.IsInteger)));
        var widths = new int[results.Count + 1];
        foreach (var row in rows)
            for (var c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        foreach (var row in rows)
        {
            var line = row[0].PadRight(widths[0]);
            for (var c = 1; c < row.Length; c++) line += "  " + row[c].PadLeft(widths[c]);
            stdout.WriteLine(line.TrimEnd());
        }
    }

    private static string[] Row(string name, List<GifFeatures> results, Func<GifFeatures, string> cell)
    {
        var row = new string[results.Count + 1];
        row[0] = name;
        for (var i = 0; i < results.Count; i++) row[i + 1] = cell(results[i]);
        return row;
    }

    private static string Format(double? v, bool integer) => v switch
    {
        null => "null",
        { } d when integer => ((long)d).ToString(CultureInfo.InvariantCulture),
        { } d => d.ToString("0.######", CultureInfo.InvariantCulture),
    };
}
