namespace GifLab.Validation;

/// <summary>Outcome class of one compression run's output (seed <c>validation_status</c>).</summary>
public enum ValidationStatus
{
    /// <summary>The output decodes, has frames and the source's canvas size.</summary>
    Valid,
    /// <summary>The output exists but is not a usable GIF: empty, wrong magic, does not decode, no frames, wrong canvas size.</summary>
    Corrupted,
    /// <summary>The tool failed (exit code, timeout, no output, unavailable); no output to judge.</summary>
    Error,
}

/// <summary>Status, the reason when not valid, and every check's numbers (flat, JSON-ready for metrics_json).</summary>
/// <param name="Checks">Check name → value: numbers, booleans or strings (e.g. <c>frame_count</c>, <c>frame_count_ok</c>).</param>
public sealed record ValidationResult(ValidationStatus Status, string? Reason, IReadOnlyDictionary<string, object?> Checks)
{
    /// <summary>Stored name: valid, corrupted, error.</summary>
    public string StatusName => Status switch
    {
        ValidationStatus.Valid => "valid",
        ValidationStatus.Corrupted => "corrupted",
        _ => "error",
    };

    /// <summary>True when the status is valid and every <c>*_ok</c> check passed.</summary>
    public bool AllChecksPassed
    {
        get
        {
            if (Status != ValidationStatus.Valid) return false;
            foreach (var (key, value) in Checks)
                if (key.EndsWith("_ok", StringComparison.Ordinal) && value is false) return false;
            return true;
        }
    }
}
