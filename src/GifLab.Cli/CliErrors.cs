using GifLab.Cli.Commands;
using GifLab.Core.Metrics;
using GifLab.Storage;

namespace GifLab.Cli;

/// <summary>Maps exceptions that escape a verb to a message on stderr and a named exit code.</summary>
internal static class CliErrors
{
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"giflab: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (LpipsModelException e)
        {
            await Console.Error.WriteLineAsync($"giflab: LPIPS model ({GifLab.Metrics.OnnxLpipsModel.EnvironmentVariable}): {e.Message}");
            return ExitCodes.ToolMissing;
        }
        catch (StorageUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"giflab: storage unavailable: {Secrets.Redact(e.Message)}");
            return ExitCodes.StorageUnavailable;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("giflab: cancelled; committed results are kept.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            // A bug: the stack trace helps, but an exception text may quote a connection string; redacted here too.
            await Console.Error.WriteLineAsync($"giflab: unexpected error: {Secrets.Redact(e.ToString())}");
            return ExitCodes.UnexpectedError;
        }
    }
}
