namespace GifLab.Storage.Schema;

/// <summary>Where a stored column's value comes from when a record is saved.</summary>
public enum ColumnSource
{
    /// <summary>The record (its value accessor).</summary>
    Record,

    /// <summary>The record: the id of a <c>gifs</c>, <c>pipelines</c> or <c>param_presets</c> row (ids differ between databases, so
    /// shard merges map it by the row's natural key).</summary>
    RowId,

    /// <summary>The store's write time (SQLite: one ISO 8601 UTC text per batch; PostgreSQL: <c>now()</c>).</summary>
    SavedAt,

    /// <summary>The version of GifLab that writes the row.</summary>
    GifLabVersion,

    /// <summary>Not written on save (the table's default applies, e.g. <c>gifs.created_at</c>), never updated; merges copy it.</summary>
    TableDefault,
}
