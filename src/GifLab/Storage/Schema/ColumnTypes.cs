using NpgsqlTypes;

namespace GifLab.Storage.Schema;

/// <summary>The SQLite and PostgreSQL spellings of a <see cref="ColumnType"/> (as the numbered migrations declare them).</summary>
public static class ColumnTypes
{
    /// <summary>SQLite declared type (booleans are 0/1 integers, timestamps ISO 8601 UTC text).</summary>
    public static string Sqlite(this ColumnType type) => type switch
    {
        ColumnType.Integer or ColumnType.BigInt or ColumnType.Boolean => "INTEGER",
        ColumnType.Real => "REAL",
        ColumnType.Text => "TEXT",
        ColumnType.Timestamp => "TIMESTAMP",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>PostgreSQL column type.</summary>
    public static string Postgres(this ColumnType type) => type switch
    {
        ColumnType.Integer => "INTEGER",
        ColumnType.BigInt => "BIGINT",
        ColumnType.Real => "DOUBLE PRECISION",
        ColumnType.Text => "TEXT",
        ColumnType.Boolean => "BOOLEAN",
        ColumnType.Timestamp => "TIMESTAMPTZ",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Npgsql parameter / binary COPY type.</summary>
    public static NpgsqlDbType Npgsql(this ColumnType type) => type switch
    {
        ColumnType.Integer => NpgsqlDbType.Integer,
        ColumnType.BigInt => NpgsqlDbType.Bigint,
        ColumnType.Real => NpgsqlDbType.Double,
        ColumnType.Text => NpgsqlDbType.Text,
        ColumnType.Boolean => NpgsqlDbType.Boolean,
        ColumnType.Timestamp => NpgsqlDbType.TimestampTz,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
