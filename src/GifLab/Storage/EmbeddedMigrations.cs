using System.Globalization;

namespace GifLab.Storage;

/// <summary>
/// The numbered SQL migrations embedded for one backend (<c>Sqlite/Migrations/NNN_name.sql</c>,
/// <c>Postgres/Migrations/NNN_name.sql</c>), in version order. An applied migration is never edited: a schema change
/// is a new file.
/// </summary>
public static class EmbeddedMigrations
{
    /// <param name="resourcePrefix">Manifest resource prefix, e.g. <c>GifLab.Storage.Sqlite.</c>.</param>
    public static IReadOnlyList<(int Version, string Sql)> Load(string resourcePrefix)
    {
        var asm = typeof(EmbeddedMigrations).Assembly;
        var list = new List<(int, string)>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var version = int.Parse(name.AsSpan(resourcePrefix.Length, 3), CultureInfo.InvariantCulture);
            using var stream = asm.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add((version, reader.ReadToEnd()));
        }
        return list;
    }
}
