using Microsoft.Data.Sqlite;

namespace GifLab.Storage.Merge;

/// <summary>
/// Checks a shard before anything is merged from it: it opens read-only, <c>PRAGMA integrity_check</c> says ok (pages,
/// indexes, NOT NULL and CHECK constraints) and <c>PRAGMA foreign_key_check</c> finds no dangling reference. A damaged
/// shard is a <see cref="StorageUnavailableException"/> naming the shard and what is wrong (the CLI exits 5).
/// </summary>
public static class ShardCheck
{
    /// <summary>Checks every input first, so a damaged one stops the merge before any input is merged.</summary>
    public static void VerifyAll(IEnumerable<string> inputs)
    {
        foreach (var input in inputs) Verify(input);
    }

    public static void Verify(string input)
    {
        if (!File.Exists(input)) throw new StorageUnavailableException(input, "input database does not exist");
        var cs = new SqliteConnectionStringBuilder { DataSource = input, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            using var conn = new SqliteConnection(cs);
            conn.Open();
            var problems = Lines(conn, "PRAGMA integrity_check;", 5);
            if (problems is not ["ok"])
                throw Damaged(input, $"PRAGMA integrity_check reports: {string.Join("; ", problems)}");
            var dangling = Lines(conn, "PRAGMA foreign_key_check;", 5);
            if (dangling.Count > 0)
                throw Damaged(input, $"PRAGMA foreign_key_check finds rows pointing at missing rows (table, rowid, parent): {string.Join("; ", dangling)}");
        }
        catch (SqliteException e)
        {
            throw Damaged(input, $"cannot be read as a SQLite database ({e.Message})", e);
        }
    }

    private static StorageUnavailableException Damaged(string input, string what, Exception? inner = null) =>
        new(input, $"shard is damaged, nothing was merged: {what}. Re-run that shard (`giflab run --shard K/N --db NEW.db`) or restore it from a copy.", inner);

    private static List<string> Lines(SqliteConnection conn, string sql, int max)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read() && lines.Count < max)
            lines.Add(string.Join(", ", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return lines;
    }
}
