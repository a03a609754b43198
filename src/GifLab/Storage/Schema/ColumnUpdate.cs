namespace GifLab.Storage.Schema;

/// <summary>How an upsert treats a column of a row that already exists.</summary>
public enum ColumnUpdate
{
    /// <summary>The new value replaces the stored one.</summary>
    Replace,

    /// <summary>A NULL new value keeps the stored one (<c>COALESCE(excluded.c, table.c)</c>).</summary>
    KeepWhenNull,
}
