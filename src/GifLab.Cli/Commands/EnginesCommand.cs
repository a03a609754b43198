using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Cli.Commands;

/// <summary><c>giflab engines [--format table|json]</c>: every engine family and tool, available or not, with binary path, version and reason.</summary>
internal static class EnginesCommand
{
    public static Command Create()
    {
        var format = CommonOptions.Format("table", "json");
        var command = new Command("engines", "List every engine and the 37 pipeline tools: availability, binary, version, reason when unavailable.")
        {
            format,
        };
        command.SetAction(async (parseResult, ct) =>
        {
            var catalog = await EngineCatalog.ProbeAsync(EngineSettings.Default, ct).ConfigureAwait(false);
            var text = parseResult.GetValue(format) == "json" ? RenderJson(catalog) : RenderTable(catalog);
            await Console.Out.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Widest line of the table: longer descriptions wrap under their column.</summary>
    internal const int MaxColumns = 160;

    internal static string RenderTable(EngineCatalog catalog)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("Engines");
        foreach (var f in catalog.Families)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {f.Family,-12} {(f.Available ? "available" : "missing"),-10} {f.Version ?? "-",-16} {f.BinaryPath ?? "-"}"));
            if (f.Reason is not null) sb.AppendLine($"  {"",-12} reason: {f.Reason}");
        }
        sb.AppendLine();
        const string header = "  {0,-28} {1,-17} {2,-18} {3,-7} {4}";
        sb.AppendLine(string.Format(CultureInfo.InvariantCulture, header, "tool", "slot", "engine", "status", "description / reason"));
        var familyReasons = catalog.Families.Where(f => f.Reason is not null).ToDictionary(f => f.Family, f => f.Reason!, StringComparer.Ordinal);
        foreach (var s in catalog.Tools)
        {
            // A tool of a missing family says so and points up: the family's reason is printed once, above.
            var text = s.Available ? s.Tool.Description
                : familyReasons.TryGetValue(s.Tool.Family, out var r) && r == s.Reason ? $"{s.Tool.Family} missing (reason above)"
                : s.Reason ?? "";
            var prefix = string.Format(CultureInfo.InvariantCulture, header, s.Tool.Name, s.Tool.Category.Name(), s.Tool.Engine?.Name() ?? s.Tool.Family,
                s.Available ? "ok" : "missing", "");
            foreach (var line in Wrap(text, MaxColumns - prefix.Length))
            {
                sb.Append(prefix).AppendLine(line);
                prefix = new string(' ', prefix.Length);
            }
        }
        var available = catalog.Tools.Count(t => t.Available);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{available} of {catalog.Tools.Count} tools available."));
        return sb.ToString();
    }

    /// <summary>Word-wraps text to lines of at most <paramref name="width"/> characters (a longer word stays whole).</summary>
    internal static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        yield return line.ToString();
    }

    internal static string RenderJson(EngineCatalog catalog)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("engines");
            foreach (var f in catalog.Families)
            {
                w.WriteStartObject();
                w.WriteString("family", f.Family);
                w.WriteBoolean("available", f.Available);
                w.WriteString("binary", f.BinaryPath);
                w.WriteString("version", f.Version);
                w.WriteString("reason", f.Reason);
                w.WriteStartObject("capabilities");
                foreach (var (k, v) in f.Capabilities) w.WriteString(k, v);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("tools");
            foreach (var s in catalog.Tools)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Tool.Name);
                w.WriteString("category", s.Tool.Category.Name());
                w.WriteString("family", s.Tool.Family);
                w.WriteString("engine", s.Tool.Engine?.Name());
                w.WriteString("description", s.Tool.Description);
                w.WriteBoolean("available", s.Available);
                w.WriteString("binary", s.BinaryPath);
                w.WriteString("version", s.Version);
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray()) + Environment.NewLine;
    }
}
