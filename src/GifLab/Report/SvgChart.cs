using System.Globalization;
using System.Net;
using System.Text;

namespace GifLab.Report;

/// <summary>
/// A small XY chart rendered as inline SVG (no script, no external resources): lines, shaded bands, points, a
/// vertical marker, "nice" ticks, optional log10 y axis and a legend. Enough for the report's curves.
/// </summary>
internal sealed class SvgChart(string title, string xLabel, string yLabel, bool logY = false, int width = 600, int height = 340)
{
    private const int Left = 62, Right = 205, Top = 30, Bottom = 46;
    private readonly List<(string Color, double[] X, double[] Low, double[] High)> _bands = [];
    private readonly List<(string Color, double[] X, double[] Y, string? Label, bool Dashed, bool Markers)> _lines = [];
    private readonly List<(double X, string Label)> _markers = [];

    public void Band(string color, double[] x, double[] low, double[] high) => _bands.Add((color, x, low, high));

    public void Line(string color, double[] x, double[] y, string? label, bool dashed = false, bool markers = false) => _lines.Add((color, x, y, label, dashed, markers));

    public void VerticalMarker(double x, string label) => _markers.Add((x, label));

    public string Render()
    {
        var xs = _lines.SelectMany(l => l.X).Concat(_bands.SelectMany(b => b.X)).Concat(_markers.Select(m => m.X)).Where(double.IsFinite).ToList();
        var ys = _lines.SelectMany(l => l.Y).Concat(_bands.SelectMany(b => b.Low.Concat(b.High))).Where(v => double.IsFinite(v) && (!logY || v > 0)).ToList();
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Esc(title)}\">"));
        sb.Append(Inv($"<text x=\"{Left}\" y=\"18\" class=\"ct\">{Esc(title)}</text>"));
        if (xs.Count == 0 || ys.Count == 0)
        {
            sb.Append(Inv($"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" class=\"muted\">no data</text></svg>"));
            return sb.ToString();
        }
        var (x0, x1) = Pad(xs.Min(), xs.Max());
        double y0, y1;
        if (logY)
        {
            y0 = Math.Floor(Math.Log10(ys.Min()) * 4) / 4;
            y1 = Math.Ceiling(Math.Log10(ys.Max()) * 4) / 4;
            if (y1 <= y0) y1 = y0 + 0.25;
        }
        else (y0, y1) = Pad(Math.Min(0, ys.Min()), ys.Max());
        var pw = width - Left - Right;
        var ph = height - Top - Bottom;
        double X(double v) => Left + (v - x0) / (x1 - x0) * pw;
        double Y(double v) => Top + ph - ((logY ? Math.Log10(v) : v) - y0) / (y1 - y0) * ph;

        sb.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{pw}\" height=\"{ph}\" class=\"plot\"/>"));
        foreach (var t in Ticks(x0, x1))
            sb.Append(Inv($"<line x1=\"{X(t):0.#}\" y1=\"{Top}\" x2=\"{X(t):0.#}\" y2=\"{Top + ph}\" class=\"grid\"/><text x=\"{X(t):0.#}\" y=\"{Top + ph + 16}\" text-anchor=\"middle\" class=\"tick\">{Fmt(t)}</text>"));
        foreach (var t in logY ? LogTicks(y0, y1) : Ticks(y0, y1))
        {
            var yv = logY ? t : t;
            sb.Append(Inv($"<line x1=\"{Left}\" y1=\"{Y(yv):0.#}\" x2=\"{Left + pw}\" y2=\"{Y(yv):0.#}\" class=\"grid\"/><text x=\"{Left - 6}\" y=\"{Y(yv) + 4:0.#}\" text-anchor=\"end\" class=\"tick\">{Fmt(yv)}</text>"));
        }
        sb.Append(Inv($"<text x=\"{Left + pw / 2}\" y=\"{height - 8}\" text-anchor=\"middle\" class=\"al\">{Esc(xLabel)}</text>"));
        sb.Append(Inv($"<text x=\"14\" y=\"{Top + ph / 2}\" text-anchor=\"middle\" class=\"al\" transform=\"rotate(-90 14 {Top + ph / 2})\">{Esc(yLabel)}</text>"));

        foreach (var (color, x, low, high) in _bands)
        {
            var pts = new List<string>();
            for (var i = 0; i < x.Length; i++) pts.Add(Inv($"{X(x[i]):0.#},{Y(Clamp(high[i])):0.#}"));
            for (var i = x.Length - 1; i >= 0; i--) pts.Add(Inv($"{X(x[i]):0.#},{Y(Clamp(low[i])):0.#}"));
            sb.Append(Inv($"<polygon points=\"{string.Join(' ', pts)}\" fill=\"{color}\" fill-opacity=\"0.13\" stroke=\"none\"/>"));
        }
        foreach (var (color, x, y, _, dashed, markers) in _lines)
        {
            var pts = Enumerable.Range(0, x.Length).Where(i => double.IsFinite(y[i]) && (!logY || y[i] > 0)).Select(i => Inv($"{X(x[i]):0.#},{Y(y[i]):0.#}")).ToList();
            if (pts.Count > 1)
                sb.Append(Inv($"<polyline points=\"{string.Join(' ', pts)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"5 3\"" : "")}/>"));
            if (markers || pts.Count == 1)
                foreach (var p in pts)
                {
                    var c = p.Split(',');
                    sb.Append(Inv($"<circle cx=\"{c[0]}\" cy=\"{c[1]}\" r=\"2.8\" fill=\"{color}\"/>"));
                }
        }
        foreach (var (x, label) in _markers)
            sb.Append(Inv($"<line x1=\"{X(x):0.#}\" y1=\"{Top}\" x2=\"{X(x):0.#}\" y2=\"{Top + ph}\" class=\"marker\"/><text x=\"{X(x) + 4:0.#}\" y=\"{Top + 12}\" class=\"tick\">{Esc(label)}</text>"));
        var ly = Top + 4;
        foreach (var (color, _, _, label, dashed, _) in _lines)
        {
            if (label is null) continue;
            sb.Append(Inv($"<line x1=\"{Left + pw + 10}\" y1=\"{ly + 5}\" x2=\"{Left + pw + 30}\" y2=\"{ly + 5}\" stroke=\"{color}\" stroke-width=\"3\"{(dashed ? " stroke-dasharray=\"5 3\"" : "")}/><text x=\"{Left + pw + 35}\" y=\"{ly + 9}\" class=\"lg\">{Esc(Short(label, 27))}</text>"));
            ly += 16;
        }
        sb.Append("</svg>");
        return sb.ToString();

        double Clamp(double v) => logY ? Math.Max(v, Math.Pow(10, y0)) : v;
    }

    /// <summary>Horizontal bars with an interval whisker (values in [0, 1], shown as %).</summary>
    public static string Bars(string title, IReadOnlyList<(string Label, string Color, double Value, double? Low, double? High, bool Flag)> rows, int width = 470)
    {
        const int left = 215, rowHeight = 22, top = 30;
        var height = top + rows.Count * rowHeight + 26;
        var pw = width - left - 40;
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Esc(title)}\">"));
        sb.Append(Inv($"<text x=\"8\" y=\"18\" class=\"ct\">{Esc(title)}</text>"));
        foreach (var t in new[] { 0, 0.25, 0.5, 0.75, 1 })
            sb.Append(Inv($"<line x1=\"{left + t * pw:0.#}\" y1=\"{top}\" x2=\"{left + t * pw:0.#}\" y2=\"{top + rows.Count * rowHeight}\" class=\"grid\"/><text x=\"{left + t * pw:0.#}\" y=\"{top + rows.Count * rowHeight + 14}\" text-anchor=\"middle\" class=\"tick\">{t * 100:0}%</text>"));
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, color, value, low, high, flag) = rows[i];
            var y = top + i * rowHeight;
            sb.Append(Inv($"<text x=\"{left - 6}\" y=\"{y + 15}\" text-anchor=\"end\" class=\"lg\">{Esc(Short(label, 32))}{(flag ? " ⚑" : "")}</text>"));
            sb.Append(Inv($"<rect x=\"{left}\" y=\"{y + 4}\" width=\"{Math.Max(0.5, value * pw):0.#}\" height=\"{rowHeight - 8}\" fill=\"{color}\" fill-opacity=\"0.8\"/>"));
            if (low is { } lo && high is { } hi)
                sb.Append(Inv($"<line x1=\"{left + lo * pw:0.#}\" y1=\"{y + rowHeight / 2}\" x2=\"{left + hi * pw:0.#}\" y2=\"{y + rowHeight / 2}\" class=\"whisker\"/>"));
            sb.Append(Inv($"<text x=\"{left + Math.Max(value, high ?? value) * pw + 4:0.#}\" y=\"{y + 15}\" class=\"tick\">{value * 100:0}%</text>"));
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Short(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    private static (double, double) Pad(double lo, double hi)
    {
        if (hi <= lo) return (lo - 1, hi + 1);
        var pad = (hi - lo) * 0.04;
        return (lo - pad, hi + pad);
    }

    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        var raw = (hi - lo) / 6;
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
        for (var t = Math.Ceiling(lo / step) * step; t <= hi + 1e-12; t += step) yield return Math.Round(t / step) * step;
    }

    private static IEnumerable<double> LogTicks(double lo, double hi)
    {
        for (var e = (int)Math.Floor(lo); e <= (int)Math.Ceiling(hi); e++)
            foreach (var m in hi - lo > 2 ? new[] { 1.0 } : [1.0, 2, 5])
            {
                var v = m * Math.Pow(10, e);
                var l = Math.Log10(v);
                if (l >= lo - 1e-9 && l <= hi + 1e-9) yield return v;
            }
    }

    private static string Fmt(double v) => Math.Abs(v) >= 1000 ? v.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 10 ? v.ToString("0.#", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);

    internal static string Esc(string s) => WebUtility.HtmlEncode(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
