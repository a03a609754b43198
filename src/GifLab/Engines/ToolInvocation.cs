using System.Text;

namespace GifLab.Engines;

/// <summary>An external program and its exact argument list (never a shell string).</summary>
public sealed record ToolInvocation(string Executable, IReadOnlyList<string> Arguments)
{
    /// <summary>A human-readable, POSIX-quoted rendering for error messages and failure rows (never executed).</summary>
    public string CommandLine
    {
        get
        {
            var sb = new StringBuilder(Quote(Executable));
            foreach (var a in Arguments) sb.Append(' ').Append(Quote(a));
            return sb.ToString();
        }
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? s : "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
