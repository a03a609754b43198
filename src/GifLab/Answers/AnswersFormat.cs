using System.Globalization;
using System.Text;
using System.Text.Json;
using GifLab.Core.Model;
using GifLab.Export;

namespace GifLab.Answers;

/// <summary>The printed forms of an <see cref="AnswersResult"/>: an aligned table, JSON and CSV (one shape each, defined here only).</summary>
public static class AnswersFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What the ranking means, printed under every table and in the report.</summary>
    public static string Explanation(AnswersOptions o) =>
        $"Iso-quality ranking at {o.Metric.Name} {(o.Metric.HigherIsBetter ? "≥" : "≤")} {o.Floor.ToString("G4", Inv)}: per GIF and pipeline family, the smallest size reaching the floor, " +
        "interpolated linearly between measured points of the family's size-vs-quality frontier, never extrapolated. " +
        "rel.size = median over GIFs of that size ÷ the GIF's best (1.00 = always best; a GIF where the family never reaches the floor counts as ∞); " +
        "wins = share of GIFs where it is smallest; reach = share of GIFs where it reaches the floor; pareto = share of GIFs where it alone produced a point of the " +
        $"size-vs-quality frontier over all families (needs no floor; outputs several families produce identically count for none). [low–high] = {AnswersOptions.ConfidenceLevel:P0} percentile bootstrap over GIFs " +
        $"({o.BootstrapSamples} resamples, seed {o.Seed}). ⚑ = iso-quality and Pareto ranks differ by 2+ places.";

    public static string Table(AnswersResult r)
    {
        var sb = new StringBuilder();
        var o = r.Options;
        sb.AppendLine(Inv, $"Leaderboard: {o.Metric.Name} {(o.Metric.HigherIsBetter ? "≥" : "≤")} {o.Floor.ToString("G4", Inv)}  ({r.Gifs} GIFs, {r.Runs} runs, {r.Points} usable points, {r.Families.Count} pipeline families)");
        foreach (var board in r.Leaderboards)
        {
            sb.AppendLine();
            sb.AppendLine(Inv, $"== {board.Group} ({board.Gifs} GIFs) ==");
            sb.AppendLine(Inv, $"  {"#",-3}{"family",-34}{"rel.size [95% CI]",-22}{"wins [95% CI]",-22}{"reach [95% CI]",-22}{"pareto [95% CI]",-22}{"never",6}  {"GIFs",5}");
            foreach (var row in board.Rows)
                sb.AppendLine(Inv, $"  {row.Rank,-3}{Trim(row.Family.Label, 33),-34}{Ratio(row.MedianRelativeSize),-22}{Share(row.WinRate),-22}{Share(row.ReachShare),-22}{Share(row.ParetoFrequency) + (row.Disagrees ? " ⚑" : ""),-22}{row.NeverReaches,6}  {row.Gifs,5}");
            if (board.Disagreement is { } d) sb.AppendLine("  ⚑ " + d);
        }
        if (r.BdRates.FirstOrDefault(m => m.Group == AnswersOptions.AllGroup) is { Cells.Count: > 0 } all)
        {
            sb.AppendLine();
            sb.AppendLine(Inv, $"== BD-rate, all GIFs (row = anchor, column = test; median % [95% CI] over GIFs, n) ==");
            sb.Append("  " + "anchor \\ test".PadRight(14));
            foreach (var e in all.Engines) sb.Append(e.Name().PadRight(30));
            sb.AppendLine();
            foreach (var a in all.Engines)
            {
                sb.Append("  " + a.Name().PadRight(14));
                foreach (var t in all.Engines)
                    sb.Append((a == t ? "—" : all.Cell(a, t) is { } c ? BdCell(c) : "no data").PadRight(30));
                sb.AppendLine();
            }
            foreach (var c in all.Cells.Where(c => c.Anchor == o.Anchor && c.MainReason is not null))
                sb.AppendLine(Inv, $"  {c.Test.Name()} vs {c.Anchor.Name()}: {c.Undefined.Values.Sum()} GIF(s) without a value, mostly: {c.MainReason}");
        }
        sb.AppendLine();
        sb.AppendLine(Explanation(o));
        sb.AppendLine(BdRateMatrix.Method);
        return sb.ToString();
    }

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    public static string Ratio(Estimate e) => e.Value is not { } v ? "—" : $"{Num(v, "0.00")} [{Num(e.Low, "0.00")}–{Num(e.High, "0.00")}]";

    public static string Share(Estimate e) => e.Value is not { } v ? "—" : $"{Num(v * 100, "0")}% [{Num(e.Low * 100, "0")}–{Num(e.High * 100, "0")}]";

    public static string BdCell(BdRateCell c) => c.Median.Value is not { } v ? "null" : $"{Num(v * 100, "+0.0;-0.0;0.0")}% [{Num(c.Median.Low * 100, "+0;-0;0")}…{Num(c.Median.High * 100, "+0;-0;0")}] n={c.Gifs}";

    private static string Num(double? v, string format) => v is not { } d ? "?" : double.IsPositiveInfinity(d) ? "∞" : d.ToString(format, Inv);

    public static string Json(AnswersResult r) => JsonSerializer.Serialize(ToJsonObject(r), new JsonSerializerOptions { WriteIndented = true });

    public static Dictionary<string, object?> ToJsonObject(AnswersResult r)
    {
        var o = r.Options;
        return new Dictionary<string, object?>
        {
            ["metric"] = o.Metric.Name,
            ["higher_is_better"] = o.Metric.HigherIsBetter,
            ["floor"] = o.Floor,
            ["group_by"] = o.By == GroupBy.ContentType ? "type" : "none",
            ["engines"] = o.Engines?.Select(e => e.Name()).ToList(),
            ["bootstrap_samples"] = o.BootstrapSamples,
            ["seed"] = o.Seed,
            ["confidence_level"] = AnswersOptions.ConfidenceLevel,
            ["gifs"] = r.Gifs,
            ["runs"] = r.Runs,
            ["points"] = r.Points,
            ["method"] = Explanation(o),
            ["leaderboards"] = r.Leaderboards.Select(b => new Dictionary<string, object?>
            {
                ["group"] = b.Group,
                ["gifs"] = b.Gifs,
                ["disagreement"] = b.Disagreement,
                ["rows"] = b.Rows.Select(row => new Dictionary<string, object?>
                {
                    ["rank"] = row.Rank,
                    ["family"] = row.Family.Label,
                    ["pipeline"] = row.Family.Pipeline,
                    ["engine"] = row.Family.Engine?.Name(),
                    ["gifs"] = row.Gifs,
                    ["reached"] = row.Reached,
                    ["never_reaches"] = row.NeverReaches,
                    ["median_relative_size"] = Json(row.MedianRelativeSize),
                    ["win_rate"] = Json(row.WinRate),
                    ["reach_share"] = Json(row.ReachShare),
                    ["pareto_frequency"] = Json(row.ParetoFrequency),
                    ["pareto_rank"] = row.ParetoRank,
                    ["ranks_disagree"] = row.Disagrees,
                }).ToList(),
            }).ToList(),
            ["bd_rate"] = new Dictionary<string, object?>
            {
                ["method"] = BdRateMatrix.Method,
                ["anchor"] = o.Anchor.Name(),
                ["matrices"] = r.BdRates.Select(m => new Dictionary<string, object?>
                {
                    ["group"] = m.Group,
                    ["engines"] = m.Engines.Select(e => e.Name()).ToList(),
                    ["cells"] = m.Cells.Select(c => new Dictionary<string, object?>
                    {
                        ["anchor"] = c.Anchor.Name(),
                        ["test"] = c.Test.Name(),
                        ["median"] = Json(c.Median),
                        ["mean"] = c.Mean,
                        ["gifs"] = c.Gifs,
                        ["value_null_reason"] = c.Median.Value is null ? c.MainReason ?? "no GIF with both curves" : null,
                        ["undefined"] = c.Undefined,
                    }).ToList(),
                }).ToList(),
            },
        };
    }

    /// <summary>An estimate as JSON: +∞ (never reaches the floor on most GIFs) is written as the string "inf", JSON having no infinity.</summary>
    private static Dictionary<string, object?> Json(Estimate e) => new()
    {
        ["value"] = JsonNumber(e.Value),
        ["low"] = JsonNumber(e.Low),
        ["high"] = JsonNumber(e.High),
    };

    private static object? JsonNumber(double? v) => v is { } d && double.IsPositiveInfinity(d) ? "inf" : v;

    /// <summary>CSV: one row per group and family (RFC 4180, invariant numbers, "inf" for +∞, empty for null).</summary>
    public static string Csv(AnswersResult r)
    {
        var sb = new StringBuilder();
        string[] header = ["group", "rank", "family", "pipeline", "engine", "gifs", "reached", "never_reaches",
            "median_relative_size", "median_relative_size_low", "median_relative_size_high", "win_rate", "win_rate_low", "win_rate_high",
            "reach_share", "reach_share_low", "reach_share_high", "pareto_frequency", "pareto_frequency_low", "pareto_frequency_high",
            "pareto_rank", "ranks_disagree", "metric", "floor"];
        sb.AppendJoin(',', header).Append("\r\n");
        foreach (var b in r.Leaderboards)
        foreach (var row in b.Rows)
        {
            var cells = new List<string?> { b.Group, Str(row.Rank), row.Family.Label, row.Family.Pipeline, row.Family.Engine?.Name(), Str(row.Gifs), Str(row.Reached), Str(row.NeverReaches) };
            foreach (var e in new[] { row.MedianRelativeSize, row.WinRate, row.ReachShare, row.ParetoFrequency })
                cells.AddRange([Str(e.Value), Str(e.Low), Str(e.High)]);
            cells.AddRange([Str(row.ParetoRank), row.Disagrees ? "true" : "false", r.Options.Metric.Name, Str(r.Options.Floor)]);
            sb.AppendJoin(',', cells.Select(CsvWriter.Render)).Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Str(double? v) => v is not { } d ? "" : double.IsPositiveInfinity(d) ? "inf" : d.ToString("R", Inv);

    private static string Str(int v) => v.ToString(Inv);
}
