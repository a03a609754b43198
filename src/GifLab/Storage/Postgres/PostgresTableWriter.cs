using GifLab.Storage.Schema;
using Npgsql;
using NpgsqlTypes;
using static GifLab.Storage.Postgres.PostgresSql;

namespace GifLab.Storage.Postgres;

/// <summary>
/// Binary COPY writes built from a <see cref="Table{TRow}"/> declaration (Npgsql COPY doc: an import that is not
/// completed rolls back).
/// </summary>
internal static class PostgresTableWriter
{
    /// <summary>Name of the temp table <see cref="UpsertAsync"/> leaves for the rest of the caller's transaction.</summary>
    public static string BatchTable<TRow>(Table<TRow> table) => $"giflab_{table.Name}_batch";

    /// <summary>
    /// COPY of the rows into a transaction-scoped temp table (<see cref="BatchTable"/>, dropped at commit), then one
    /// insert into the table in row-id order, upserting on the row ids when they are unique; stamped columns get
    /// <c>now()</c> and GifLab's version.
    /// </summary>
    public static async Task UpsertAsync<TRow>(NpgsqlConnection conn, NpgsqlTransaction tx, Table<TRow> table, IEnumerable<TRow> rows, CancellationToken ct)
    {
        var batch = BatchTable(table);
        var definitions = string.Join(", ", table.FromRecord.Select(c => $"{c.Name} {c.Type.Postgres()}"));
        await ExecAsync(conn, tx, $"CREATE TEMP TABLE IF NOT EXISTS {batch} ({definitions}) ON COMMIT DROP;", ct).ConfigureAwait(false);
        await CopyRowsAsync(conn, batch, table.FromRecord, rows, ct).ConfigureAwait(false);
        var values = string.Join(", ", table.Written.Select(c => c.Source switch
        {
            ColumnSource.SavedAt => "now()",
            ColumnSource.GifLabVersion => "@ver",
            _ => c.Name,
        }));
        var order = table.RowIds.Count > 0 ? $"ORDER BY {Table<TRow>.List(table.RowIds)}" : "";
        await ExecAsync(conn, tx, $"""
            INSERT INTO {table.Name}({Table<TRow>.List(table.Written)})
            SELECT {values} FROM {batch} {order}
            {table.OnConflictUpdate};
            """, ct, P("ver", NpgsqlDbType.Text, GifLabInfo.Version)).ConfigureAwait(false);
    }

    /// <summary>
    /// One row inserted, or upserted on the table's unique key, with parameters; returns the row's <c>id</c>. Stamped
    /// columns get <c>now()</c> and GifLab's version.
    /// </summary>
    public static async Task<long> UpsertOneAsync<TRow>(NpgsqlConnection conn, NpgsqlTransaction? tx, Table<TRow> table, TRow row, CancellationToken ct)
    {
        var parameters = new List<NpgsqlParameter>();
        var values = string.Join(", ", table.Written.Select((c, i) =>
        {
            if (c.Source == ColumnSource.SavedAt) return "now()";
            parameters.Add(P("c" + i, c.Type.Npgsql(), ToParameter(Table<TRow>.ValueOf(c, row, DBNull.Value))));
            return "@c" + i;
        }));
        var id = await ScalarAsync(conn, tx, $"""
            INSERT INTO {table.Name}({Table<TRow>.List(table.Written)}) VALUES ({values})
            {table.OnConflictUpdate}
            RETURNING id;
            """, ct, [.. parameters]).ConfigureAwait(false);
        return Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A record value as Npgsql takes it (times as UTC <see cref="DateTime"/>).</summary>
    private static object? ToParameter(object? value) => value is DateTimeOffset t ? t.UtcDateTime : value;

    /// <summary>
    /// COPY of the rows straight into the table (rows appended in order). Columns the store stamps take the table's
    /// default, so a table written this way may only stamp <see cref="ColumnSource.SavedAt"/> (<c>DEFAULT now()</c>).
    /// </summary>
    public static Task CopyAsync<TRow>(NpgsqlConnection conn, Table<TRow> table, IEnumerable<TRow> rows, CancellationToken ct)
    {
        if (table.Columns.Any(c => c.Source == ColumnSource.GifLabVersion))
            throw new InvalidOperationException($"{table.Name}: a GifLab-version column has no table default; write it with {nameof(UpsertAsync)}");
        return CopyRowsAsync(conn, table.Name, table.FromRecord, rows, ct);
    }

    private static async Task CopyRowsAsync<TRow>(NpgsqlConnection conn, string target, IReadOnlyList<Column<TRow>> columns, IEnumerable<TRow> rows, CancellationToken ct)
    {
        var types = columns.Select(c => c.Type.Npgsql()).ToArray();
        await using var copy = await conn.BeginBinaryImportAsync(
            $"COPY {target} ({Table<TRow>.List(columns)}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct).ConfigureAwait(false);
            for (var i = 0; i < columns.Count; i++)
            {
                if (ToParameter(columns[i].Value!(row)) is { } v) await copy.WriteAsync(v, types[i], ct).ConfigureAwait(false);
                else await copy.WriteNullAsync(ct).ConfigureAwait(false);
            }
        }
        await copy.CompleteAsync(ct).ConfigureAwait(false);
    }
}
