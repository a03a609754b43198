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

    public double Test => 1.0 - Train - Val;

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
