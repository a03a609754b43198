using System.Text;

namespace GifLab.Tests.Metrics;

/// <summary>
/// Tiny ONNX models written by hand as protobuf bytes (no Python, no weights), each with an output known
/// analytically, for testing the LPIPS runner. Field numbers are those of onnx/onnx.proto:
/// ModelProto {ir_version 1, graph 7, opset_import 8}; OperatorSetIdProto {domain 1, version 2};
/// GraphProto {node 1, name 2, input 11, output 12}; NodeProto {input 1, output 2, name 3, op_type 4, attribute 5};
/// AttributeProto {name 1, i 3, ints 8, type 20 (INT 2, INTS 7)}; ValueInfoProto {name 1, type 2};
/// TypeProto {tensor_type 1}; TypeProto.Tensor {elem_type 1 (FLOAT = 1), shape 2}; TensorShapeProto {dim 1};
/// Dimension {dim_value 1, dim_param 2}. Opset 13 (ReduceMean still takes <c>axes</c> as an attribute).
/// </summary>
public static class OnnxTestModels
{
    /// <summary>[N, 3, H, W] with N, H, W dynamic (null = a named dynamic dimension).</summary>
    public static long?[] Dynamic4 => [null, 3, null, null];

    /// <summary>
    /// mean over C, H, W (every axis but 0) of (in0 − in1)², one value per batch item (output shape [N]). With inputs in [−1, 1]:
    /// black vs white → (−1 − 1)² = 4; pure red vs black → (4 + 0 + 0) / 3 = 4/3; identical → 0.
    /// </summary>
    public static byte[] MeanSquaredDifference(long?[]? shape = null, int inputCount = 2)
    {
        shape ??= Dynamic4;
        var nodes = new List<byte[]>
        {
            Node("Sub", ["in0", "in1"], ["d"]),
            Node("Mul", ["d", "d"], ["sq"]),
            Node("ReduceMean", ["sq"], ["dist"], IntsAttribute("axes", [.. Enumerable.Range(1, shape.Length - 1).Select(a => (long)a)]),
                IntAttribute("keepdims", 0)),
        };
        if (inputCount == 1) nodes = [Node("Mul", ["in0", "in0"], ["sq"]), nodes[2]];
        var inputs = new List<byte[]> { ValueInfo("in0", shape) };
        if (inputCount == 2) inputs.Add(ValueInfo("in1", shape));
        return Model(nodes, inputs, [ValueInfo("dist", [shape[0]])]);
    }

    /// <summary>
    /// Mean of channel 0 (R) of input 0 only, shape [N, 1, 1, 1] (like lpips.LPIPS): Split(axis 1) into R, G, B,
    /// then ReduceMean(R, axes 1,2,3, keepdims 1). Input 1 is declared but unused. Pure red original → 1,
    /// pure green or blue original → −1, whatever the compressed frame is.
    /// </summary>
    public static byte[] OriginalRedMean()
    {
        var shape = Dynamic4;
        return Model(
            [
                Node("Split", ["in0"], ["r", "g", "b"], IntAttribute("axis", 1)),
                Node("ReduceMean", ["r"], ["dist"], IntsAttribute("axes", [1, 2, 3]), IntAttribute("keepdims", 1)),
            ],
            [ValueInfo("in0", shape), ValueInfo("in1", shape)],
            [ValueInfo("dist", [null, 1, 1, 1])]);
    }

    // ---- protobuf encoding ----

    private static byte[] Model(IEnumerable<byte[]> nodes, IEnumerable<byte[]> inputs, IEnumerable<byte[]> outputs)
    {
        var graph = new Proto();
        foreach (var n in nodes) graph.Message(1, n);
        graph.String(2, "giflab_test");
        foreach (var i in inputs) graph.Message(11, i);
        foreach (var o in outputs) graph.Message(12, o);
        var opset = new Proto().String(1, "").Varint(2, 13);
        return new Proto().Varint(1, 7).String(2, "giflab-tests").Message(7, graph.ToArray()).Message(8, opset.ToArray()).ToArray();
    }

    private static byte[] Node(string op, string[] inputs, string[] outputs, params byte[][] attributes)
    {
        var p = new Proto();
        foreach (var i in inputs) p.String(1, i);
        foreach (var o in outputs) p.String(2, o);
        p.String(3, op + "_" + outputs[0]).String(4, op);
        foreach (var a in attributes) p.Message(5, a);
        return p.ToArray();
    }

    private static byte[] IntAttribute(string name, long value) => new Proto().String(1, name).Varint(3, value).Varint(20, 2).ToArray();

    private static byte[] IntsAttribute(string name, long[] values)
    {
        var p = new Proto().String(1, name);
        foreach (var v in values) p.Varint(8, v);
        return p.Varint(20, 7).ToArray();
    }

    private static byte[] ValueInfo(string name, long?[] dims)
    {
        var shape = new Proto();
        for (int i = 0; i < dims.Length; i++)
        {
            var dim = dims[i] is { } v ? new Proto().Varint(1, v) : new Proto().String(2, $"{name}_d{i}");
            shape.Message(1, dim.ToArray());
        }
        var tensor = new Proto().Varint(1, 1).Message(2, shape.ToArray());
        var type = new Proto().Message(1, tensor.ToArray());
        return new Proto().String(1, name).Message(2, type.ToArray()).ToArray();
    }

    /// <summary>Minimal protobuf writer: varint (wire type 0) and length-delimited (wire type 2) fields.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _stream = new();

        public Proto Varint(int field, long value)
        {
            Raw((ulong)field << 3);
            Raw((ulong)value);
            return this;
        }

        public Proto String(int field, string value) => Message(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, byte[] bytes)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)bytes.Length);
            _stream.Write(bytes);
            return this;
        }

        private void Raw(ulong v)
        {
            while (v >= 0x80) { _stream.WriteByte((byte)(v | 0x80)); v >>= 7; }
            _stream.WriteByte((byte)v);
        }

        public byte[] ToArray() => _stream.ToArray();
    }
}
