namespace GifLab.Engines;

/// <summary>Why a tool step failed.</summary>
public enum ToolFailureReason
{
    /// <summary>Non-zero exit code.</summary>
    ExitCode,
    /// <summary>Killed at the timeout.</summary>
    Timeout,
    /// <summary>Exited 0 but wrote no (or an empty) output file.</summary>
    NoOutput,
    /// <summary>The process could not be started.</summary>
    StartFailed,
    /// <summary>The output is larger than <see cref="OutputLimits.MaxBytes"/> allows (not read).</summary>
    OutputTooLarge,
}

/// <summary>A tool step failed; carries everything needed to reproduce it.</summary>
public sealed class ToolFailedException(string toolName, ToolFailureReason reason, int? exitCode, ToolInvocation invocation, string stderrTail)
    : Exception($"{toolName}: {ReasonText(reason, exitCode)}: {invocation.CommandLine}" + (stderrTail.Length > 0 ? $"\nstderr: {stderrTail}" : ""))
{
    public string ToolName { get; } = toolName;
    public ToolFailureReason Reason { get; } = reason;
    public int? ExitCode { get; } = exitCode;
    public ToolInvocation Invocation { get; } = invocation;
    public string StderrTail { get; } = stderrTail;

    /// <summary>Stored <c>failures.error_type</c> detail: exit, timeout, no-output, start-failed.</summary>
    public string ReasonName => Reason switch
    {
        ToolFailureReason.ExitCode => "exit",
        ToolFailureReason.Timeout => "timeout",
        ToolFailureReason.NoOutput => "no-output",
        ToolFailureReason.StartFailed => "start-failed",
        ToolFailureReason.OutputTooLarge => "output-too-large",
        _ => "unknown",
    };

    private static string ReasonText(ToolFailureReason r, int? code) => r switch
    {
        ToolFailureReason.ExitCode => $"exited with code {code}",
        ToolFailureReason.Timeout => "timed out and was killed",
        ToolFailureReason.NoOutput => "exited 0 but wrote no output",
        ToolFailureReason.StartFailed => "could not be started",
        ToolFailureReason.OutputTooLarge => "wrote an output over the size cap (not read)",
        _ => "failed",
    };
}

/// <summary>A pipeline needs a tool that is not available (binary missing or capability absent).</summary>
public sealed class ToolUnavailableException(string toolName, string reason)
    : Exception($"{toolName} is unavailable: {reason}")
{
    public string ToolName { get; } = toolName;
    public string Reason { get; } = reason;
}
