namespace GifLab.Storage.Schema;

/// <summary>One stored column of a <see cref="Table{TRow}"/>.</summary>
/// <param name="Name">Column name (as in the migrations).</param>
/// <param name="Type">Logical type: SQLite and PostgreSQL types derive from it (<see cref="ColumnTypes"/>).</param>
/// <param name="Value">Value accessor for <see cref="ColumnSource.Record"/> and <see cref="ColumnSource.RowId"/> columns
/// (bool → stored as the backend's boolean; null → NULL); null for columns the store stamps.</param>
/// <param name="Source">Where the value comes from.</param>
/// <param name="MergeDefault">PostgreSQL expression a shard merge stores when the shard's value is NULL (a NOT NULL column).</param>
public sealed record Column<TRow>(string Name, ColumnType Type, Func<TRow, object?>? Value, ColumnSource Source = ColumnSource.Record,
                                  string? MergeDefault = null)
{
    public static Column<TRow> RowId(string name, Func<TRow, object?> value) => new(name, ColumnType.BigInt, value, ColumnSource.RowId);

    /// <summary>Stamped with the write time; a shard merge stores <c>now()</c> for a missing one.</summary>
    public static Column<TRow> SavedAt(string name) => new(name, ColumnType.Timestamp, null, ColumnSource.SavedAt, "now()");

    public static Column<TRow> GifLabVersion(string name) => new(name, ColumnType.Text, null, ColumnSource.GifLabVersion);

    /// <summary>Set by the table's default on insert; a shard merge copies it (PostgreSQL: <c>now()</c> for a missing one).</summary>
    public static Column<TRow> TableDefault(string name, ColumnType type) => new(name, type, null, ColumnSource.TableDefault, "now()");

    /// <summary>How an upsert updates the column of an existing row (default: the new value replaces it).</summary>
    public ColumnUpdate OnConflict { get; init; } = ColumnUpdate.Replace;

    /// <summary>A shard merge's own <c>SET</c> expression for the column (in terms of <c>excluded</c> and the table), when it differs from <see cref="OnConflict"/>.</summary>
    public string? MergeSet { get; init; }

    /// <summary>Whether the record supplies the value (row ids and record columns).</summary>
    public bool FromRecord => Source is ColumnSource.Record or ColumnSource.RowId;
}
