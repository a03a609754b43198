namespace GifLab.Core.Curves;

/// <summary>A curve or training record that does not parse or does not validate; the message lists every problem.</summary>
public sealed class RecordFormatException : FormatException
{
    public RecordFormatException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems)) => Problems = problems;

    public RecordFormatException(string problem) : this([problem]) { }

    public IReadOnlyList<string> Problems { get; }
}
