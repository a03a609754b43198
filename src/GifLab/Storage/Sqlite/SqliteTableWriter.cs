using GifLab.Storage.Schema;
using Microsoft.Data.Sqlite;
using static GifLab.Storage.Sqlite.SqliteSql;

namespace GifLab.Storage.Sqlite;

/// <summary>
/// A prepared insert of every written column of a table (an upsert on the row ids when they are unique), built from
/// its <see cref="Table{TRow}"/> declaration; stamped columns get the batch's write time and GifLab's version.
/// </summary>
internal sealed class SqliteTableWriter<TRow> : IDisposable
{
    private readonly Table<TRow> _table;
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    public SqliteTableWriter(SqliteConnection conn, SqliteTransaction tx, Table<TRow> table)
    {
        _table = table;
        var names = table.Written.Select((_, i) => "$c" + i).ToArray();
        _command = Command(conn,
            $"INSERT INTO {table.Name}({Table<TRow>.List(table.Written)}) VALUES ({string.Join(", ", names)}) {table.OnConflictUpdate};", tx);
        _parameters = AddParams(_command, names);
    }

    /// <param name="row">The record.</param>
    /// <param name="savedAt">The batch's write time (<see cref="SqliteSql.Now"/>).</param>
    public void Write(TRow row, string savedAt)
    {
        for (var i = 0; i < _parameters.Length; i++) Bind(_parameters[i], Table<TRow>.ValueOf(_table.Written[i], row, savedAt));
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
