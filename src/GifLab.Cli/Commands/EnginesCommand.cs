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

    internal static string RenderTable(EngineCatalog catalog)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("Engines");
        foreach (var f in catalog.Families)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {f.Family,-12} {(f.Available ? "available" : "missing"),-10} {f.Version ?? "-",-12} {f.BinaryPath ?? "-"}{(f.Reason is null ? "" : "  (" + f.Reason + ")")}"));
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {"tool",-28} {"slot",-18} {"engine",-19} {"status",-10} description / reason"));
        foreach (var s in catalog.Tools)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {s.Tool.Name,-28} {s.Tool.Category.Name(),-18} {s.Tool.Engine?.Name() ?? s.Tool.Family,-19} {(s.Available ? "ok" : "missing"),-10} {(s.Available ? s.Tool.Description : s.Reason)}"));
        var available = catalog.Tools.Count(t => t.Available);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{available} of {catalog.Tools.Count} tools available."));
        return sb.ToString();
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
