using GifLab.Core.Curves;
using GifLab.Storage;

namespace GifLab.Export;

/// <summary>Front door of the exporters: picks the format and applies the split filter.</summary>
public static class DatasetExporter
{
    public static ExportSummary Export(IDatasetReader reader, ExportOptions options, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        if (!TrainingRecordV2.IsSemVer(options.DatasetVersion))
            throw new ArgumentException($"Dataset version '{options.DatasetVersion}' is not MAJOR.MINOR.PATCH.", nameof(options));
        return options.Format switch
        {
            ExportFormat.Csv => CsvExporter.Export(reader, options, output, ct),
            ExportFormat.Json => JsonExporter.Export(reader, options, output, ct),
            ExportFormat.Jsonl => JsonlExporter.Export(reader, options, output, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, null),
        };
    }

    /// <summary>Index of the quality metric in the exporters' key list [composite_score, ssim, quality].</summary>
    internal static int QualityIndex(ExportOptions options) => options.QualityKey switch
    {
        "composite_score" => 0,
        "ssim" => 1,
        _ => 2,
    };

    /// <summary>True when the GIF passes the split filter; <paramref name="split"/> is its split either way.</summary>
    internal static bool Selected(DatasetGif gif, ExportOptions options, out DatasetSplit split)
    {
        split = options.Ratios.Assign(gif.Sha256);
        return options.Split is null || options.Split == split;
    }
}
