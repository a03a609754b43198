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
    /// <param name="uniqueKey">The columns of the table's unique key: saving upserts on them (none: rows are appended).</param>
    /// <param name="columns">Every stored column but <c>id</c>; row ids first.</param>
    public Table(string name, string[] uniqueKey, params Column<TRow>[] columns)
    {
        Name = name;
        UniqueKey = uniqueKey;
        Columns = columns;
        Written = [.. columns.Where(c => c.Source != ColumnSource.TableDefault)];
        if (uniqueKey.Any(k => !columns.Any(c => c.Name == k)))
            throw new ArgumentException($"{name}: a unique key column is not declared");
        RowIds = [.. columns.TakeWhile(c => c.Source == ColumnSource.RowId)];
        Data = [.. columns.Skip(RowIds.Count)];
        FromRecord = [.. columns.Where(c => c.FromRecord)];
        if (Data.Any(c => c.Source == ColumnSource.RowId))
            throw new ArgumentException($"{name}: row id columns come first");
        if (columns.Any(c => c.FromRecord != (c.Value is not null)))
            throw new ArgumentException($"{name}: record and row id columns need a value accessor, stamped and defaulted columns none");
    }

    public string Name { get; }

    /// <summary>The columns of the table's unique key (the upsert's conflict target); empty when rows are appended.</summary>
    public IReadOnlyList<string> UniqueKey { get; }

    /// <summary>The columns a save writes (all but <see cref="ColumnSource.TableDefault"/> ones), in declaration order.</summary>
    public IReadOnlyList<Column<TRow>> Written { get; }

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

    /// <summary>
    /// A save's upsert clause: <c>ON CONFLICT(key) DO UPDATE SET</c> every written non-key column by its
    /// <see cref="Column{TRow}.OnConflict"/> rule; empty for a table without a unique key.
    /// </summary>
    public string OnConflictUpdate => Upsert(merge: false);

    /// <summary>A shard merge's upsert clause: as <see cref="OnConflictUpdate"/>, with each column's <see cref="Column{TRow}.MergeSet"/> where it has one.</summary>
    public string MergeConflictUpdate => Upsert(merge: true);

    private string Upsert(bool merge)
    {
        if (UniqueKey.Count == 0) return "";
        var set = Written.Where(c => !UniqueKey.Contains(c.Name)).Select(c => merge && c.MergeSet is { } m
            ? $"{c.Name} = {m}"
            : c.OnConflict == ColumnUpdate.KeepWhenNull ? $"{c.Name} = COALESCE(excluded.{c.Name}, {Name}.{c.Name})" : $"{c.Name} = excluded.{c.Name}");
        return $"ON CONFLICT({string.Join(", ", UniqueKey)}) DO UPDATE SET {string.Join(", ", set)}";
    }

    /// <summary>A column's value for a row, stamps included.</summary>
    public static object? ValueOf(Column<TRow> column, TRow row, object savedAt) => column.Source switch
    {
        ColumnSource.SavedAt => savedAt,
        ColumnSource.GifLabVersion => GifLabInfo.Version,
        _ => column.Value!(row),
    };
}
