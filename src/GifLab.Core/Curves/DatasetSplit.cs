using System.Security.Cryptography;
using System.Text;

namespace GifLab.Core.Curves;

/// <summary>The three dataset splits (stored names <c>train</c>, <c>val</c>, <c>test</c>).</summary>
public enum DatasetSplit
{
    Train,
    Val,
    Test,
}

/// <summary>
/// Stable split assignment from a hash of <c>gif_sha</c>: bucket = first 8 bytes of SHA-256("giflab-split-v1:" + gif_sha),
/// big-endian, mod 10,000; buckets below <c>train × 10,000</c> are train, below <c>(train + val) × 10,000</c> val, the rest
/// test. A GIF's split depends only on its own SHA, so adding GIFs never moves an existing one.
/// </summary>
public sealed record SplitRatios(double Train = 0.8, double Val = 0.1)
{
    public static SplitRatios Default { get; } = new();

    /// <summary>The rest, rounded to the bucket resolution (1/10,000) so 0.8,0.1 gives exactly 0.1.</summary>
    public double Test => Math.Round(1.0 - Train - Val, 4);

    private const string Salt = "giflab-split-v1:";

    public DatasetSplit Assign(string gifSha)
    {
        if (Train < 0 || Val < 0 || Train + Val > 1.0 + 1e-12)
            throw new ArgumentException($"Split ratios train={Train} val={Val} must be non-negative and sum to at most 1.");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(Salt + gifSha.ToLowerInvariant()), hash);
        var bucket = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) % 10_000UL;
        if (bucket < (ulong)Math.Round(Train * 10_000)) return DatasetSplit.Train;
        if (bucket < (ulong)Math.Round((Train + Val) * 10_000)) return DatasetSplit.Val;
        return DatasetSplit.Test;
    }

    /// <summary>The salt of the split hash (recorded in export metadata; changing it would move every GIF).</summary>
    public static string HashSalt => Salt;

    /// <summary>
    /// Parses <c>--split-ratios</c>: <c>TRAIN,VAL</c> (test = the rest) or <c>TRAIN,VAL,TEST</c> summing to 1 (±0.001).
    /// Ratios are resolved to 1/10,000 (the hash bucket).
    /// </summary>
    /// <exception cref="FormatException">Not two or three numbers, a negative ratio, or a sum other than 1.</exception>
    public static SplitRatios ParseRatios(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is not (2 or 3))
            throw new FormatException($"Split ratios '{text}' must be TRAIN,VAL or TRAIN,VAL,TEST (e.g. 0.8,0.1).");
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i])
                || !double.IsFinite(values[i]) || values[i] < 0 || values[i] > 1)
                throw new FormatException($"Split ratio '{parts[i]}' in '{text}' is not a number in [0, 1].");
        }
        var sum = values.Sum();
        if (parts.Length == 3 ? Math.Abs(sum - 1) > 1e-3 : sum > 1 + 1e-9)
            throw new FormatException($"Split ratios '{text}' must sum to 1 (they sum to {sum.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        return new SplitRatios(values[0], values[1]);
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Train:0.####},{Val:0.####},{Test:0.####}");

    public static string Name(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => "train",
        DatasetSplit.Val => "val",
        DatasetSplit.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split)),
    };

    public static DatasetSplit Parse(string name) => name switch
    {
        "train" => DatasetSplit.Train,
        "val" => DatasetSplit.Val,
        "test" => DatasetSplit.Test,
        _ => throw new ArgumentException($"Unknown split '{name}' (train, val or test).", nameof(name)),
    };
}
