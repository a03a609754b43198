using GifLab.Answers;

namespace GifLab.Report;

/// <summary>What <see cref="ReportWriter"/> writes.</summary>
/// <param name="OutDir">Folder of the report (created; index.html, gifs/, media/ inside are replaced).</param>
/// <param name="Answers">Metric, floor, grouping and engines of the answers shown.</param>
/// <param name="ContactSheetPerType">GIFs shown per content type in the contact sheet.</param>
/// <param name="MaxMediaBytes">Largest GIF copied into the report (contact sheet and gallery originals).</param>
public sealed record ReportOptions(string OutDir, AnswersOptions Answers, int ContactSheetPerType = 12, long MaxMediaBytes = 3_000_000);
