using System.Globalization;
using System.Text;
using GifLab.Core.Model;

namespace GifLab.Engines;

/// <summary>
/// The lossy mapping of every tool, rendered from the tool registry: what the public lossy level L (0–100) becomes for
/// each lossy tool (its description), and per engine the native setting and the palette bound at L = 0, 10, …, 100.
/// docs/engines.md carries this text between markers; <c>EnginesDocTests</c> keeps them in step.
/// </summary>
public static class LossyMappingTable
{
    public const string BeginMarker = "<!-- lossy-mapping:begin (generated from FamilyRegistry by LossyMappingTable; EnginesDocTests) -->";
    public const string EndMarker = "<!-- lossy-mapping:end -->";

    private static readonly int[] Levels = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

    public static string Markdown(FamilyRegistry registry)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| lossy tool | family | engine curve | what lossy level L does |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var t in registry.InCategory(ToolCategory.LossyCompression))
            sb.AppendLine(inv, $"| `{t.Name}` | {t.Family} | {t.Engine?.Name() ?? "-"} | {t.Description.Replace("|", "\\|", StringComparison.Ordinal)} |");
        sb.AppendLine();
        sb.Append("| engine | native setting |");
        foreach (var l in Levels) sb.Append(inv, $" L={l} |");
        sb.AppendLine();
        sb.Append("|---|---|");
        foreach (var _ in Levels) sb.Append("---:|");
        sb.AppendLine();
        foreach (var engine in EngineNames.All)
        {
            var tool = registry.LossyToolFor(engine);
            var family = registry.FamilyOf(tool);
            sb.Append(inv, $"| {engine.Name()} | `{tool.Name}` setting |");
            foreach (var l in Levels) sb.Append(inv, $" {family.NativeLossyValue(engine, l)} |");
            sb.AppendLine();
            if (Levels.Select(l => family.MaxColors(tool, new ParamPreset(l, 256, 1.0))).ToList() is var colors && colors.All(c => c is not null))
            {
                sb.Append(inv, $"| {engine.Name()} | palette colours N(L) |");
                foreach (var c in colors) sb.Append(inv, $" {c} |");
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }
}
