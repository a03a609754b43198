namespace GifLab.Storage;

/// <summary>
/// One finished run, ready to store (a <c>compression_runs</c> row, plus a <c>failures</c> row when it failed). Built by
/// one factory per outcome: <see cref="Valid"/> (output validated and measured), <see cref="Rejected"/> (output
/// produced but validation rejected it) and <see cref="Failed"/> (no output: the engine or GifLab failed).
/// </summary>
public sealed record RunRecord
{
    public required long GifId { get; init; }
    public required long PipelineId { get; init; }
    public required long PresetId { get; init; }

    /// <summary><c>valid</c>, <c>corrupted</c> or <c>error</c>.</summary>
    public required string ValidationStatus { get; init; }

    /// <summary>Wall time of the run (engine steps; validation and metrics not included).</summary>
    public long DurationMs { get; init; }

    /// <summary>Metric set version the run was (or would have been) measured with.</summary>
    public int MetricSetVersion { get; init; }

    /// <summary>Output size; null when no output was produced.</summary>
    public long? OutputSizeBytes { get; init; }

    /// <summary>Original size / output size; null without a non-empty output.</summary>
    public double? CompressionRatio { get; init; }

    /// <summary>The metrics document; null unless the output is valid.</summary>
    public string? MetricsJson { get; init; }

    /// <summary>The validator's checks as JSON; null when no output was validated.</summary>
    public string? ValidationJson { get; init; }

    /// <summary>CPU time of the engine processes; null when unknown or no engine finished.</summary>
    public double? EngineCpuMs { get; init; }

    /// <summary>Versions of the tools the pipeline uses, as JSON.</summary>
    public string? ToolVersionsJson { get; init; }

    /// <summary>The exact engine command lines of the run, in order, as a JSON array of strings; null when none ran.</summary>
    public string? CommandLinesJson { get; init; }

    /// <summary>Command lines as the JSON array stored in <c>command_lines</c>; null for none.</summary>
    public static string? CommandLinesToJson(IReadOnlyList<string> commandLines) =>
        commandLines.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(commandLines);

    /// <summary>Set when the run failed (rejected or failed outcomes): recorded in <c>failures</c> too.</summary>
    public FailureRecord? Failure { get; init; }

    /// <summary>The output was produced, validated and measured.</summary>
    public static RunRecord Valid(long gifId, long pipelineId, long presetId, long durationMs, int metricSetVersion, string? toolVersionsJson,
                                  long outputSizeBytes, double? compressionRatio, string metricsJson, string? validationJson, double? engineCpuMs,
                                  string? commandLinesJson = null) =>
        new()
        {
            GifId = gifId, PipelineId = pipelineId, PresetId = presetId, ValidationStatus = "valid",
            DurationMs = durationMs, MetricSetVersion = metricSetVersion, ToolVersionsJson = toolVersionsJson,
            OutputSizeBytes = outputSizeBytes, CompressionRatio = compressionRatio, MetricsJson = metricsJson,
            ValidationJson = validationJson, EngineCpuMs = engineCpuMs, CommandLinesJson = commandLinesJson,
        };

    /// <summary>
    /// The output was produced but validation rejected it (<paramref name="validationStatus"/> <c>corrupted</c> or
    /// <c>error</c>): no metrics; a permanent <c>output:&lt;status&gt;</c> failure with <paramref name="reason"/>.
    /// </summary>
    public static RunRecord Rejected(long gifId, long pipelineId, long presetId, long durationMs, int metricSetVersion, string? toolVersionsJson,
                                     string validationStatus, long outputSizeBytes, double? compressionRatio, string? validationJson,
                                     double? engineCpuMs, string reason, string? commandLine, string? commandLinesJson = null)
    {
        if (validationStatus is not ("corrupted" or "error"))
            throw new ArgumentOutOfRangeException(nameof(validationStatus), validationStatus, "a rejected output is corrupted or error");
        return new()
        {
            GifId = gifId, PipelineId = pipelineId, PresetId = presetId, ValidationStatus = validationStatus,
            DurationMs = durationMs, MetricSetVersion = metricSetVersion, ToolVersionsJson = toolVersionsJson,
            OutputSizeBytes = outputSizeBytes, CompressionRatio = compressionRatio, ValidationJson = validationJson,
            EngineCpuMs = engineCpuMs, CommandLinesJson = commandLinesJson,
            Failure = new FailureRecord(gifId, pipelineId, presetId, $"output:{validationStatus}", reason, Permanent: true, commandLine),
        };
    }

    /// <summary>No output: the engine failed (<c>tool:*</c>) or GifLab did (<c>internal:*</c>). Status <c>error</c>.</summary>
    public static RunRecord Failed(long gifId, long pipelineId, long presetId, long durationMs, int metricSetVersion, string? toolVersionsJson,
                                   string errorType, string errorMessage, bool permanent, string? commandLine) =>
        new()
        {
            GifId = gifId, PipelineId = pipelineId, PresetId = presetId, ValidationStatus = "error",
            DurationMs = durationMs, MetricSetVersion = metricSetVersion, ToolVersionsJson = toolVersionsJson,
            Failure = new FailureRecord(gifId, pipelineId, presetId, errorType, errorMessage, permanent, commandLine),
        };
}
