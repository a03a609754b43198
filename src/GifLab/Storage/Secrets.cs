using System.Text;
using System.Text.RegularExpressions;

namespace GifLab.Storage;

/// <summary>
/// The one place a password is removed from text before it is shown. <see cref="Redact"/> works on any text (a
/// <c>--db</c> value, an error message, a whole line of output), parses nothing and so cannot fail on a value that does
/// not parse: every URI's user information (<c>scheme://user:password@host</c>, also with an unparsable port or an
/// empty host, an escaped <c>%3A</c> separator, escapes or <c>@</c> inside the password) keeps only the user name,
/// and every <c>password=</c> / <c>pwd=</c> / <c>passwd=</c> key (plain, quoted, URL-escaped <c>%3D</c>) loses its
/// value. The CLI sends everything it writes to stdout and stderr through it.
/// </summary>
public static partial class Secrets
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "***";

    // scheme://userinfo@ — userinfo is everything up to the last '@' before the query, so an '@' inside the password
    // (`u:S3c@retPW@host`) is covered; it stops at whitespace and quotes (a URI embedded in a message).
    [GeneratedRegex(@"\b([a-z][a-z0-9+.\-]*://)([^\s""'<>?#]*)@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriUserInfo();

    // scheme://user:password/… without '@' would put the password where the port goes; a "port" that is not a number
    // is treated as a secret.
    [GeneratedRegex(@"\b([a-z][a-z0-9+.\-]*://[^\s""'<>:/?#@]*):([^\s""'<>/?#@]*[^\s""'<>/?#@0-9][^\s""'<>/?#@]*)(?=[/?#\s""'<>]|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriPasswordAsPort();

    // key=value: password / pwd / passwd / ssl password (after a non-letter or an escaped ';'), '=' plain or %3D; the value quoted ("…""…", '…''…') or up to
    // ';', '&', a line end (a password may contain spaces). A value that is already the mask is left alone, so
    // redacting twice equals redacting once.
    [GeneratedRegex("""(?:(?<![A-Za-z])|(?<=%3B))((?:ssl\s*)?(?:password|passwd|pwd)\s*(?:=|%3D)\s*)(?!\s*\*\*\*(?:[;&'"\s:,)]|$))("(?:[^"]|"")*"?|'(?:[^']|'')*'?|(?:[^;&\r\n%]|%(?!3B|26))*)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyValuePassword();

    /// <summary>The text with every password it may contain replaced by <see cref="Mask"/>; text without one is returned as is.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        // Cheap pre-check: most lines hold neither a URI nor a key=value pair.
        if (!text.Contains("://", StringComparison.Ordinal) && !text.Contains('=', StringComparison.Ordinal)
            && !text.Contains("%3D", StringComparison.OrdinalIgnoreCase))
            return text;
        var result = UriUserInfo().Replace(text, m => m.Groups[1].Value + UserOnly(m.Groups[2].Value) + "@");
        result = UriPasswordAsPort().Replace(result, m => m.Groups[1].Value + ":" + Mask);
        return KeyValuePassword().Replace(result, m => m.Groups[1].Value + Mask);
    }

    /// <summary>The user name of a URI's user information (before ':' or its escape %3A), plus the mask when anything followed it.</summary>
    private static string UserOnly(string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var escaped = userInfo.IndexOf("%3A", StringComparison.OrdinalIgnoreCase);
        var cut = colon < 0 ? escaped : escaped < 0 ? colon : Math.Min(colon, escaped);
        // No separator but an '@' inside: the part after the first '@' cannot be a user name; treat it as secret.
        var at = userInfo.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        if (cut < 0) return userInfo;
        return new StringBuilder(userInfo, 0, cut, cut + 4).Append(':').Append(Mask).ToString();
    }
}
