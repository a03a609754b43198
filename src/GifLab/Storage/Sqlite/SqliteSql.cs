using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GifLab.Storage.Sqlite;

/// <summary>Small SQLite helpers shared by the store, its writers and the shard merger.</summary>
internal static class SqliteSql
{
    public static SqliteCommand Command(SqliteConnection conn, string sql, SqliteTransaction? tx = null)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    public static SqliteParameter[] AddParams(SqliteCommand cmd, params string[] names)
    {
        var result = new SqliteParameter[names.Length];
        for (var i = 0; i < names.Length; i++) result[i] = cmd.Parameters.Add(names[i], SqliteType.Text);
        return result;
    }

    public static void Set(SqliteParameter[] p, params object?[] values)
    {
        for (var i = 0; i < p.Length; i++) Bind(p[i], values[i]);
    }

    /// <summary>Binds a value with the storage class its CLR type implies (integers, reals, text; booleans as 0/1, times as ISO 8601 UTC text; null as NULL).</summary>
    public static void Bind(SqliteParameter p, object? v)
    {
        if (v is bool b) v = b ? 1 : 0;
        else if (v is DateTimeOffset t) v = Iso(t);
        p.SqliteType = v switch
        {
            null => SqliteType.Text,
            int or long => SqliteType.Integer,
            double or float => SqliteType.Real,
            _ => SqliteType.Text,
        };
        p.Value = v ?? DBNull.Value;
    }

    public static int Exec(SqliteConnection conn, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(conn, sql, tx);
        return cmd.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection conn, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = Command(conn, sql, tx);
        return cmd.ExecuteScalar();
    }

    public static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static int? NullableInt(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
    public static string Now() => Iso(DateTimeOffset.UtcNow);
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
