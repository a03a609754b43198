namespace GifLab.Storage.Schema;

/// <summary>
/// The declaration of one stored table: its columns in order, each with its type and value accessor. The stores and
/// the shard mergers build their column lists, inserts, upserts, COPY statements and merge statements from it, so
/// adding a stored column is one migration per backend plus one <see cref="Column{TRow}"/> line (and the record property).
/// The natural-key joins that map row ids in a merge are the only per-table SQL written by hand.
/// </summary>
public sealed class Table<TRow>
{
    /// <param name="name">Table name.</param>
    /// <param name="uniqueRowIds">The row ids are the table's unique key: saving upserts on them (otherwise rows are appended).</param>
    /// <param name="columns">Every written column; row ids first.</param>
    public Table(string name, bool uniqueRowIds, params Column<TRow>[] columns)
    {
        Name = name;
        UniqueRowIds = uniqueRowIds;
        Columns = columns;
        RowIds = [.. columns.TakeWhile(c => c.Source == ColumnSource.RowId)];
        Data = [.. columns.Skip(RowIds.Count)];
        FromRecord = [.. columns.Where(c => c.FromRecord)];
        if (Data.Any(c => c.Source == ColumnSource.RowId))
            throw new ArgumentException($"{name}: row id columns come first");
        if (columns.Any(c => c.FromRecord != (c.Value is not null)))
            throw new ArgumentException($"{name}: record and row id columns need a value accessor, stamped columns none");
    }

    public string Name { get; }

    public bool UniqueRowIds { get; }

    /// <summary>Every column, in declaration order.</summary>
    public IReadOnlyList<Column<TRow>> Columns { get; }

    /// <summary>The leading row id columns (<c>gif_id</c>, <c>pipeline_id</c>, <c>param_preset_id</c>).</summary>
    public IReadOnlyList<Column<TRow>> RowIds { get; }

    /// <summary>Every other column, in declaration order (what a merge copies as is).</summary>
    public IReadOnlyList<Column<TRow>> Data { get; }

    /// <summary>Columns whose value the record supplies, in declaration order; the rest are stamped by the store.</summary>
    public IReadOnlyList<Column<TRow>> FromRecord { get; }

    /// <summary><c>a, b, c</c>, each name optionally prefixed (<c>r.a, r.b</c>).</summary>
    public static string List(IEnumerable<Column<TRow>> columns, string prefix = "") =>
        string.Join(", ", columns.Select(c => prefix + c.Name));

    /// <summary>The upsert clause for a table with unique row ids: <c>ON CONFLICT(ids) DO UPDATE SET</c> every other column; empty otherwise.</summary>
    public string OnConflictUpdate => UniqueRowIds
        ? $"ON CONFLICT({List(RowIds)}) DO UPDATE SET {string.Join(", ", Data.Select(c => $"{c.Name} = excluded.{c.Name}"))}"
        : "";

    /// <summary>A column's value for a row, stamps included.</summary>
    public static object? ValueOf(Column<TRow> column, TRow row, object savedAt) => column.Source switch
    {
        ColumnSource.SavedAt => savedAt,
        ColumnSource.GifLabVersion => GifLabInfo.Version,
        _ => column.Value!(row),
    };
}
