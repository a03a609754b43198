using System.Text.Json;
using GifLab.Core.Curves;

namespace GifLab.Export;

/// <summary>
/// Converts a TrainingRecordV1 JSONL file to TrainingRecordV2 JSONL (<see cref="TrainingRecordV1.MigrateToV2(string)"/>), line by
/// line in bounded memory. Blank lines are ignored; a line that does not parse or validate is not written and is
/// reported with its line number.
/// </summary>
public static class V1Importer
{
    /// <param name="input">V1 JSONL.</param>
    /// <param name="output">V2 JSONL destination.</param>
    /// <param name="maxReportedErrors">How many bad lines to describe (all are counted).</param>
    /// <param name="ct">Cancellation.</param>
    public static V1ImportSummary Convert(TextReader input, Stream output, int maxReportedErrors, CancellationToken ct)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var errors = new List<string>();
        long lineNo = 0, converted = 0, failed = 0;
        while (input.ReadLine() is { } line)
        {
            ct.ThrowIfCancellationRequested();
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var record = TrainingRecordV1.MigrateToV2(line);
                TrainingRecordJson.Write(w, record);
                w.Flush();
                w.Reset();
                output.WriteByte((byte)'\n');
                converted++;
            }
            catch (RecordFormatException e)
            {
                failed++;
                if (errors.Count < maxReportedErrors) errors.Add($"line {lineNo}: {e.Message}");
            }
        }
        output.Flush();
        return new V1ImportSummary(converted, failed, errors);
    }
}
