using System.Text;
using GifLab.Storage;

namespace GifLab.Cli;

/// <summary>
/// Sits in front of stdout and stderr (installed by <see cref="Program.Main"/>): text is collected up to each line end
/// ('\n' or '\r', the progress line's carriage return) or flush and written through <see cref="Secrets.Redact"/>, so
/// no message, whoever formats it, can print a password from a connection string.
/// </summary>
internal sealed class RedactingWriter(TextWriter inner) : TextWriter
{
    private readonly StringBuilder _pending = new();

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    /// <summary>Installs redacting writers on <see cref="Console.Out"/> and <see cref="Console.Error"/> (once per process).</summary>
    public static void Install()
    {
        if (_installed) return;
        _installed = true;
        Console.SetOut(Synchronized(new RedactingWriter(Console.Out)));
        Console.SetError(Synchronized(new RedactingWriter(Console.Error)));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => FlushBoth();
    }

    private static bool _installed;

    /// <summary>Writes out whatever is still collected (at exit).</summary>
    public static void FlushBoth()
    {
        try { Console.Out.Flush(); Console.Error.Flush(); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { /* stdout closed: nothing to do */ }
    }

    public override void Write(char value)
    {
        _pending.Append(value);
        if (value is '\n' or '\r') Emit();
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        _pending.Append(value);
        if (value.AsSpan().IndexOfAny('\n', '\r') >= 0) Emit();
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

    public override void WriteLine(string? value) => Write((value ?? "") + new string(CoreNewLine));

    public override void Flush()
    {
        Emit();
        inner.Flush();
    }

    private void Emit()
    {
        if (_pending.Length == 0) return;
        var text = _pending.ToString();
        _pending.Clear();
        inner.Write(Secrets.Redact(text));
        inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Emit();
        base.Dispose(disposing);
    }
}
