using System.Globalization;

namespace GifLab.Export;

/// <summary>
/// RFC 4180 writer: fields separated by commas, records ended by CRLF; a field containing a comma, a double quote,
/// CR or LF is enclosed in double quotes with inner quotes doubled. Numbers use the invariant culture and the shortest
/// round-trip form; null is an empty field.
/// </summary>
internal sealed class CsvWriter(TextWriter writer)
{
    private bool _fieldWritten;

    public void Field(string? value)
    {
        Separator();
        if (string.IsNullOrEmpty(value)) return;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }
        writer.Write('"');
        foreach (var c in value)
        {
            if (c == '"') writer.Write('"');
            writer.Write(c);
        }
        writer.Write('"');
    }

    public void Field(long? value)
    {
        Separator();
        if (value is { } v) writer.Write(v.ToString(CultureInfo.InvariantCulture));
    }

    public void Field(double? value)
    {
        Separator();
        if (value is { } v && double.IsFinite(v)) writer.Write(v.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>A pre-rendered field (already quoted when needed).</summary>
    public void Raw(string rendered)
    {
        Separator();
        writer.Write(rendered);
    }

    public void EndRecord()
    {
        writer.Write("\r\n");
        _fieldWritten = false;
    }

    /// <summary>Renders one field as <see cref="Field(string)"/> would write it.</summary>
    public static string Render(string? value)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        new CsvWriter(sw).Field(value);
        return sw.ToString();
    }

    private void Separator()
    {
        if (_fieldWritten) writer.Write(',');
        _fieldWritten = true;
    }
}
