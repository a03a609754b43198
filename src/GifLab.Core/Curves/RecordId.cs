using System.Security.Cryptography;
using System.Text;

namespace GifLab.Core.Curves;

/// <summary>
/// Deterministic <c>record_id</c>: an RFC 9562 version-5 UUID (SHA-1, name-based) of <c>gif_sha + ":" + dataset_version</c>
/// in GifLab's namespace, so re-exporting the same GIF for the same dataset version gives the same id.
/// </summary>
public static class RecordId
{
    /// <summary>GifLab's fixed namespace UUID for training records (never change: it would change every id).</summary>
    public static Guid Namespace { get; } = new("6f1c5e1a-3b0d-5c3e-9a57-2f6b1c9d4e80");

    public static string For(string gifSha, string datasetVersion) =>
        UuidV5(Namespace, gifSha.ToLowerInvariant() + ":" + datasetVersion);

    /// <summary>RFC 9562 §5.5: SHA-1 over namespace bytes (network order) + name (UTF-8); version 5, variant 10.</summary>
    public static string UuidV5(Guid ns, string name)
    {
        Span<byte> nsBytes = stackalloc byte[16];
        ns.TryWriteBytes(nsBytes, bigEndian: true, out _);
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        nsBytes.CopyTo(input);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
