namespace GifLab.Storage.Schema;

/// <summary>Logical type of a stored column; <see cref="ColumnTypes"/> spells it for SQLite and PostgreSQL.</summary>
public enum ColumnType
{
    Integer,
    BigInt,
    Real,
    Text,
    Boolean,
    Timestamp,
}
