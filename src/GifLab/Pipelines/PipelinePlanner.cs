using System.Globalization;
using GifLab.Core.Model;
using GifLab.Engines;

namespace GifLab.Pipelines;

/// <summary>
/// Expands a mode into (pipeline, preset) work items per GIF.
/// <para><b>single</b>: for each engine its lossy tool (<see cref="FamilyRegistry.LossyToolFor"/>) at every lossy level in
/// <c>none-frame|none-color|tool</c> (7 × 11 = 77 with every engine), plus a colour curve when the engine's family has a
/// colour tool: <c>none-frame|family-color|tool</c> at lossy 0 with every colour count (6 engines × 5 = 30; gifski has
/// no colour tool) — 107 runs per GIF by default (the reference ran 12 lossy tools × 55 presets = 660).</para>
/// <para><b>full</b>: every registered frame × colour × lossy tool (1,200 pipelines) × levels × colours × ratios. An
/// engine filter keeps pipelines whose lossy tool belongs to a selected engine's binary family.</para>
/// Items whose tools are unavailable are counted as skipped, grouped by the first unavailable tool.
/// </summary>
public static class PipelinePlanner
{
    public const string NoneFrame = "none-frame";
    public const string NoneColor = "none-color";

    /// <summary>All 5 × 20 × 12 = 1,200 pipelines in registry order (frame, then colour, then lossy).</summary>
    public static IReadOnlyList<PipelineId> AllPipelines(FamilyRegistry? registry = null)
    {
        registry ??= FamilyRegistry.Default;
        var list = new List<PipelineId>(1200);
        foreach (var f in registry.InCategory(ToolCategory.FrameReduction))
            foreach (var c in registry.InCategory(ToolCategory.ColorReduction))
                foreach (var l in registry.InCategory(ToolCategory.LossyCompression))
                    list.Add(new PipelineId(f.Name, c.Name, l.Name));
        return list;
    }

    public static PipelinePlan Plan(PlanOptions options, Func<string, (bool Available, string? Reason)> availability, FamilyRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        registry ??= FamilyRegistry.Default;
        foreach (var l in options.Levels) LossyMapping.Check(l);
        foreach (var c in options.Colors) ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)(c - 2), 254u, "colorCount");
        foreach (var r in options.Ratios)
            if (!(r > 0 && r <= 1)) throw new ArgumentOutOfRangeException(nameof(options), r, "Frame ratios must be in (0, 1].");

        var items = new List<PlannedItem>();
        var skipped = new Dictionary<(string Engine, string Lossy, string Missing), (int Count, string Reason)>();

        void Add(PipelineId p, ParamPreset preset)
        {
            foreach (var tool in new[] { p.FrameTool, p.ColorTool, p.LossyTool })
            {
                var (ok, reason) = availability(tool);
                if (ok) continue;
                var key = (EngineLabel(p, registry), p.LossyTool, tool);
                var prev = skipped.GetValueOrDefault(key);
                skipped[key] = (prev.Count + 1, reason ?? "unavailable");
                return;
            }
            items.Add(new PlannedItem(p, preset));
        }

        if (options.Mode == PlanMode.Single)
        {
            foreach (var engine in options.EngineList.Distinct())
            {
                var lossy = registry.LossyToolFor(engine);
                foreach (var level in options.Levels)
                    Add(new PipelineId(NoneFrame, NoneColor, lossy.Name), new ParamPreset(level, 256, 1.0));
                if (registry.ColorToolFor(engine) is { } color)
                    foreach (var c in options.Colors)
                        Add(new PipelineId(NoneFrame, color.Name, lossy.Name), new ParamPreset(0, c, 1.0));
            }
        }
        else
        {
            var families = options.Engines is null ? null
                : options.EngineList.Select(e => registry.LossyToolFor(e).Family).ToHashSet(StringComparer.Ordinal);
            var presets = new List<ParamPreset>();
            foreach (var ratio in options.Ratios)
                foreach (var c in options.Colors)
                    foreach (var level in options.Levels)
                        presets.Add(new ParamPreset(level, c, ratio));
            foreach (var p in AllPipelines(registry))
            {
                if (families is not null && !families.Contains(registry.Get(p.LossyTool).Family)) continue;
                foreach (var preset in presets) Add(p, preset);
            }
        }

        var groups = skipped.Select(kv => new SkippedGroup(kv.Key.Engine, kv.Key.Lossy, kv.Key.Missing, kv.Value.Count, kv.Value.Reason))
            .OrderBy(g => g.Engine, StringComparer.Ordinal).ThenBy(g => g.LossyTool, StringComparer.Ordinal)
            .ThenBy(g => g.MissingTool, StringComparer.Ordinal).ToList();
        return new PipelinePlan(options.Mode, items, groups);
    }

    /// <summary>Plans against a probed catalog.</summary>
    public static PipelinePlan Plan(PlanOptions options, EngineCatalog catalog) =>
        Plan(options, tool => catalog.IsAvailable(tool) ? (true, null) : (false, catalog.Get(tool).Reason), catalog.Registry);

    private static string UnavailableLabel(PlanSummaryRow row) =>
        row.Reason is { } reason ? "unavailable: " + reason[..reason.IndexOf(": ", StringComparison.Ordinal)] : "";

    /// <summary>The engine a pipeline's runs belong to, or its lossy tool's family for variants and none-lossy.</summary>
    public static string EngineLabel(PipelineId p, FamilyRegistry? registry = null)
    {
        registry ??= FamilyRegistry.Default;
        return registry.EngineOf(p) is { } e ? e.Name() : registry.Get(p.LossyTool).Family;
    }

    /// <summary>
    /// Dry-run rows: per engine and lossy tool, planned runs and skipped runs, sorted. A row's reason names every missing
    /// tool of its skipped runs (its own lossy tool first, e.g. <c>animately-hard, animately-color: …</c>) and the first reason.
    /// </summary>
    public static IReadOnlyList<PlanSummaryRow> Summarize(PipelinePlan plan)
    {
        var rows = new Dictionary<(string Engine, string Tool), (int Planned, int Skipped, List<string> Missing, string? Reason)>();
        foreach (var item in plan.Items)
        {
            var key = (EngineLabel(item.Pipeline), item.Pipeline.LossyTool);
            var v = rows.GetValueOrDefault(key, (0, 0, [], null));
            rows[key] = (v.Planned + 1, v.Skipped, v.Missing, v.Reason);
        }
        foreach (var s in plan.Skipped)
        {
            var key = (s.Engine, s.LossyTool);
            var v = rows.GetValueOrDefault(key, (0, 0, [], null));
            if (!v.Missing.Contains(s.MissingTool)) v.Missing.Add(s.MissingTool);
            rows[key] = (v.Planned, v.Skipped + s.Count, v.Missing, v.Reason ?? s.Reason);
        }
        return rows.Select(kv => new PlanSummaryRow(kv.Key.Engine, kv.Key.Tool, kv.Value.Planned, kv.Value.Skipped,
                kv.Value.Reason is null ? null
                    : string.Join(", ", kv.Value.Missing.OrderBy(m => m == kv.Key.Tool ? 0 : 1).ThenBy(m => m, StringComparer.Ordinal)) + ": " + kv.Value.Reason))
            .OrderBy(r => r.Engine, StringComparer.Ordinal).ThenBy(r => r.Tool, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The summary as aligned text lines (header first, total last), for <c>giflab run --dry-run</c>. A row with skipped
    /// runs names its unavailable tools; their reasons are printed once, below the table, by the caller.
    /// </summary>
    public static IReadOnlyList<string> RenderSummary(PipelinePlan plan, int gifCount = 1)
    {
        var rows = Summarize(plan);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{"engine",-20} {"tool",-28} {"planned",9} {"skipped",9}  reason"),
        };
        foreach (var r in rows)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{r.Engine,-20} {r.Tool,-28} {r.Planned * (long)gifCount,9} {r.Skipped * (long)gifCount,9}  {UnavailableLabel(r)}").TrimEnd());
        var what = string.Create(CultureInfo.InvariantCulture, $"{plan.PipelineCount} pipelines × {gifCount} GIF(s)");
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"{"total",-20} {what,-28} {plan.Items.Count * (long)gifCount,9} {plan.SkippedCount * (long)gifCount,9}"));
        return lines;
    }
}
