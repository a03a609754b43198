using Npgsql;
using NpgsqlTypes;

namespace GifLab.Storage.Postgres;

/// <summary>Small PostgreSQL helpers shared by the store, the shard merger and the work queue (all SQL parameterised).</summary>
internal static class PostgresSql
{
    internal static NpgsqlParameter P(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };

    internal static NpgsqlParameter TextArray(string name, IEnumerable<string?> values) =>
        P(name, NpgsqlDbType.Array | NpgsqlDbType.Text, values.ToArray());

    internal static NpgsqlParameter IntArray(string name, int[] values) => P(name, NpgsqlDbType.Array | NpgsqlDbType.Integer, values);

    internal static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }

    internal static async Task<int> ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    internal static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    internal static int? NullableInt(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);

}
