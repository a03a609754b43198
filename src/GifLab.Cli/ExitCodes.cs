namespace GifLab.Cli;

/// <summary>Process exit codes (documented in <c>--help</c> and README).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Unexpected error (a bug; the message and stack trace go to stderr).</summary>
    public const int UnexpectedError = 1;
    /// <summary>Bad command line: unknown option, bad value, missing argument.</summary>
    public const int Usage = 2;
    /// <summary>The job finished, but some items failed (recorded in the failures table) or were deferred by an environment problem (not stored; a rerun does them).</summary>
    public const int ItemFailures = 3;
    /// <summary>A required engine/tool is missing, or models are missing/incompatible.</summary>
    public const int ToolMissing = 4;
    /// <summary>Storage unavailable: database locked past the retry limit, unwritable, disk full (database or temp folder), or absent.</summary>
    public const int StorageUnavailable = 5;
    /// <summary>Input problem: no GIFs found, input unreadable, or a GIF that cannot be decoded.</summary>
    public const int InputError = 6;
    /// <summary>Cancelled by the user (Ctrl+C / SIGTERM); committed results are kept.</summary>
    public const int Cancelled = 130;

    public const string HelpText =
        "Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 finished with item failures, 4 tool or model missing, " +
        "5 storage unavailable, 6 input error, 130 cancelled.";
}
