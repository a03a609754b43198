using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GifLab.Modeling;

/// <summary>
/// A trained LightGBM ensemble as plain arrays, evaluated by GifLab: the sum over trees of the leaf each input row falls
/// in, with ML.NET's rules (a numerical split goes left when value ≤ threshold; a missing input, NaN, takes the split's
/// stored default value when the tree has any, and otherwise compares as NaN and goes right), cast to float as ML.NET's
/// score column is. <c>GbmTreesTests</c> checks that it returns exactly ML.NET's score, NaN inputs included.
/// </summary>
/// <remarks>
/// Why not ML.NET at prediction time: loading the ~160 shipped model zips through <c>MLContext.Model.Load</c> and a
/// <c>PredictionEngine</c> each took ~1.0 s of a 1.3 s <c>giflab predict</c> process (issue #15 asks ≤ 1 s); reading these
/// arrays takes milliseconds and loads no ML.NET assembly. ML.NET still trains the models (<see cref="GbmRegressor"/>).
/// File format (<c>.gbm</c>): "GLGBM" magic, format version, input width, tree count, bias, then per tree its weight and
/// arrays, little-endian, deflate-compressed (the shipped models: 22 MB raw, under the repository's ~20 MB budget
/// compressed; inflated in one go, which adds a few tens of milliseconds to loading them all).
/// </remarks>
internal sealed class GbmTrees
{
    private static ReadOnlySpan<byte> Magic => "GLGBM"u8;
    private const byte FormatVersion = 1;
    private const long MaxInflatedBytes = 256L << 20;

    private readonly Tree[] _trees;

    internal GbmTrees(int width, double bias, Tree[] trees)
    {
        Width = width;
        Bias = bias;
        _trees = trees;
    }

    /// <summary>Number of inputs a row must have.</summary>
    public int Width { get; }

    public double Bias { get; }

    public int TreeCount => _trees.Length;

    /// <summary>Trees whose splits carry default values for missing inputs (ML.NET's <c>DefaultValueForMissing</c>).</summary>
    public int TreesWithMissingDefaults => _trees.Count(t => t.Defaults is not null);

    /// <summary>One regression tree. Children: ≥ 0 an inner node, &lt; 0 the leaf ~child. <see cref="Defaults"/> is null when no split has one.</summary>
    internal sealed record Tree(double Weight, int[] Left, int[] Right, int[] Feature, float[] Threshold, float[]? Defaults, double[] Leaves);

    /// <summary>The score of one row: bias + Σ weight × leaf value, as float (ML.NET's <c>Score</c> column).</summary>
    public float Predict(ReadOnlySpan<float> row)
    {
        if (row.Length != Width) throw new ArgumentException($"Expected {Width} inputs, got {row.Length}.", nameof(row));
        var sum = Bias;
        foreach (var t in _trees)
        {
            var node = 0;
            if (t.Left.Length > 0)
            {
                while (node >= 0)
                {
                    var v = row[t.Feature[node]];
                    if (t.Defaults is not null && float.IsNaN(v)) v = t.Defaults[node];
                    node = v <= t.Threshold[node] ? t.Left[node] : t.Right[node];
                }
                node = ~node;
            }
            sum += t.Weight * t.Leaves[node];
        }
        return (float)sum;
    }

    /// <summary>Writes the <c>.gbm</c> format (deterministic bytes for equal trees).</summary>
    public void Write(Stream stream)
    {
        stream.Write(Magic);
        stream.WriteByte(FormatVersion);
        using var z = new DeflateStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var w = new BinaryWriter(new BufferedStream(z, 1 << 16), System.Text.Encoding.UTF8, leaveOpen: false);
        w.Write(Width);
        w.Write(_trees.Length);
        w.Write(Bias);
        foreach (var t in _trees)
        {
            w.Write(t.Weight);
            w.Write(t.Left.Length);
            w.Write(MemoryMarshal.AsBytes(t.Left.AsSpan()));
            w.Write(MemoryMarshal.AsBytes(t.Right.AsSpan()));
            w.Write(MemoryMarshal.AsBytes(t.Feature.AsSpan()));
            w.Write(MemoryMarshal.AsBytes(t.Threshold.AsSpan()));
            w.Write(t.Defaults is not null);
            if (t.Defaults is not null) w.Write(MemoryMarshal.AsBytes(t.Defaults.AsSpan()));
            w.Write(t.Leaves.Length);
            w.Write(MemoryMarshal.AsBytes(t.Leaves.AsSpan()));
        }
    }

    /// <summary>Reads the <c>.gbm</c> format and checks every index, so a damaged file fails here and not mid-prediction.</summary>
    /// <exception cref="InvalidDataException">Not a GifLab tree file, another format version, or inconsistent contents.</exception>
    public static GbmTrees Read(Stream stream, int expectedWidth)
    {
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return Read(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), expectedWidth);
    }

    /// <summary>Inflates the body in one go (reading values through a DeflateStream one by one cost ~0.4 s for the shipped models).</summary>
    private static byte[] Inflate(ReadOnlySpan<byte> compressed)
    {
        using var z = new DeflateStream(new MemoryStream(compressed.ToArray(), writable: false), CompressionMode.Decompress);
        var raw = new MemoryStream();
        var buffer = new byte[1 << 16];
        int read;
        while ((read = z.Read(buffer)) > 0)
        {
            if (raw.Length + read > MaxInflatedBytes) throw new InvalidDataException($"tree-ensemble file inflates beyond {MaxInflatedBytes >> 20} MiB");
            raw.Write(buffer, 0, read);
        }
        return raw.ToArray();
    }

    /// <inheritdoc cref="Read(Stream, int)"/>
    public static GbmTrees Read(ReadOnlySpan<byte> data, int expectedWidth)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the tree format is read on little-endian machines only");
        if (data.Length < Magic.Length + 1 || !data[..Magic.Length].SequenceEqual(Magic))
            throw new InvalidDataException("not a GifLab tree-ensemble file (.gbm)");
        if (data[Magic.Length] != FormatVersion) throw new InvalidDataException($"tree-ensemble format {data[Magic.Length]}; this GifLab reads {FormatVersion}");
        byte[] body;
        try { body = Inflate(data[(Magic.Length + 1)..]); }
        catch (InvalidDataException e) when (!e.Message.StartsWith("tree-ensemble", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"tree-ensemble file is damaged: {e.Message}", e);
        }
        var r = new SpanReader(body);
        var width = r.Int();
        if (width != expectedWidth) throw new InvalidDataException($"the trees take {width} inputs, the model metadata says {expectedWidth}");
        var count = r.Int();
        if (count is < 0 or > 1_000_000) throw new InvalidDataException($"implausible tree count {count}");
        var bias = r.Double();
        var trees = new Tree[count];
        for (var i = 0; i < count; i++)
        {
            var weight = r.Double();
            var n = r.Int();
            if (n is < 0 or > 1_000_000) throw new InvalidDataException($"tree {i}: implausible node count {n}");
            var left = r.Array<int>(n);
            var right = r.Array<int>(n);
            var feature = r.Array<int>(n);
            var threshold = r.Array<float>(n);
            var defaults = r.Byte() != 0 ? r.Array<float>(n) : null;
            var leafCount = r.Int();
            if (leafCount != n + 1 && !(n == 0 && leafCount >= 1)) throw new InvalidDataException($"tree {i}: {leafCount} leaves for {n} nodes");
            var leaves = r.Array<double>(leafCount);
            for (var k = 0; k < n; k++)
            {
                if ((uint)feature[k] >= (uint)width) throw new InvalidDataException($"tree {i}: node {k} splits on input {feature[k]} of {width}");
                foreach (var c in (ReadOnlySpan<int>)[left[k], right[k]])
                    if (c >= 0 ? c <= k || c >= n : ~c >= leafCount) // an inner child comes after its parent: no cycles
                        throw new InvalidDataException($"tree {i}: node {k} has child {c} outside the tree");
            }
            trees[i] = new Tree(weight, left, right, feature, threshold, defaults, leaves);
        }
        if (!r.AtEnd) throw new InvalidDataException("tree-ensemble file has trailing bytes");
        return new GbmTrees(width, bias, trees);
    }

    /// <summary>Little-endian reads from a byte span; running past the end is <see cref="InvalidDataException"/> ("truncated").</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public readonly bool AtEnd => _pos == _data.Length;

        private ReadOnlySpan<byte> Take(int bytes)
        {
            if (bytes < 0 || _data.Length - _pos < bytes) throw new InvalidDataException("tree-ensemble file is truncated");
            var s = _data.Slice(_pos, bytes);
            _pos += bytes;
            return s;
        }

        public byte Byte() => Take(1)[0];
        public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
        public T[] Array<T>(int n) where T : unmanaged => MemoryMarshal.Cast<byte, T>(Take(checked(n * Unsafe.SizeOf<T>()))).ToArray();
    }
}
