using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GifLab.Core.Metrics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GifLab.Metrics;

/// <summary>
/// An LPIPS network in an ONNX file, run with ONNX Runtime (CPU). GifLab ships no weights: export a model
/// elsewhere (docs/metrics.md, "LPIPS model") and point <c>GIFLAB_LPIPS_MODEL</c> at it.
/// </summary>
/// <remarks>
/// <para>Model contract (checked by <see cref="Load"/>):</para>
/// <list type="bullet">
/// <item>exactly two inputs, taken in the model's input order: input 0 = the original frames, input 1 = the
/// compressed frames; each a float32 tensor of rank 4, shape [N, 3, H, W], RGB channel order, values in
/// [−1, 1] (8-bit v → v / 127.5 − 1);</item>
/// <item>N is dynamic or fixed at 1; H and W are each dynamic or fixed (fixed → frames are resized to exactly
/// that size; dynamic → the longer side is downscaled to at most 512); both inputs have the same shape;</item>
/// <item>the first output is a float32 tensor holding one distance per batch item, in batch order, in any
/// shape with N elements (e.g. [N, 1, 1, 1] as <c>lpips.LPIPS</c> returns, or [N]); other outputs are ignored.</item>
/// </list>
/// <para>One <see cref="InferenceSession"/> serves every worker (<c>Run</c> is thread-safe); intra- and
/// inter-op threads are 1 so that <c>--jobs</c> stays the only parallelism knob. Dispose at the end of the run.</para>
/// </remarks>
public sealed class OnnxLpipsModel : ILpipsModel, IDisposable
{
    /// <summary>Environment variable naming the model file, read by <c>giflab run</c> and <c>giflab measure</c>.</summary>
    public const string EnvironmentVariable = "GIFLAB_LPIPS_MODEL";

    /// <summary>Largest batch sent to a model with a dynamic batch dimension.</summary>
    public const int DynamicMaxBatch = Lpips.BatchSize;

    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private OnnxLpipsModel(string path, string sha256, SessionOptions options, InferenceSession session, string[] inputNames,
                           string outputName, int maxBatch, int? height, int? width)
    {
        Path = path;
        Sha256 = sha256;
        _options = options;
        _session = session;
        _inputNames = inputNames;
        _outputNames = [outputName];
        MaxBatch = maxBatch;
        InputHeight = height;
        InputWidth = width;
        Description = $"{System.IO.Path.GetFileName(path)} sha256:{sha256[..16]}";
    }

    /// <summary>The file the model was loaded from, as given.</summary>
    public string Path { get; }

    /// <summary>SHA-256 of the model file, lowercase hex.</summary>
    public string Sha256 { get; }

    /// <summary>File name and the first 16 hex digits of its SHA-256 (e.g. <c>lpips_alex.onnx sha256:3f0c…</c>).</summary>
    public string Description { get; }

    public int? InputHeight { get; }
    public int? InputWidth { get; }
    public int MaxBatch { get; }

    /// <summary>The model named by <see cref="EnvironmentVariable"/>, or null when it is unset or empty.</summary>
    /// <exception cref="LpipsModelException">The variable is set but the file is missing, unreadable or breaks the contract.</exception>
    public static OnnxLpipsModel? LoadFromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? Load(path) : null;

    /// <summary>Loads and checks a model file.</summary>
    /// <exception cref="LpipsModelException">Missing or unreadable file, not ONNX, or inputs/outputs that break the contract;
    /// the message names the file and what is wrong.</exception>
    public static OnnxLpipsModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LpipsModelException($"LPIPS model file '{path}' does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new LpipsModelException($"cannot read LPIPS model file '{path}': {e.Message}", e);
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,   // keep ORT's warnings out of the progress output
        };
        InferenceSession? session = null;
        try
        {
            try
            {
                session = new InferenceSession(bytes, options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new LpipsModelException($"'{path}' is not a loadable ONNX model: {e.Message}", e);
            }
            var (inputNames, outputName, maxBatch, height, width) = Check(path, session);
            return new OnnxLpipsModel(path, sha, options, session, inputNames, outputName, maxBatch, height, width);
        }
        catch
        {
            session?.Dispose();
            options.Dispose();
            throw;
        }
    }

    /// <summary>Checks the contract; returns the input names, the first output's name, the batch limit and fixed H/W.</summary>
    private static (string[] Inputs, string Output, int MaxBatch, int? Height, int? Width) Check(string path, InferenceSession session)
    {
        void Fail(string what) => throw new LpipsModelException($"LPIPS model '{path}': {what} (expected two float32 inputs " +
                                                                  "[N,3,H,W] (original, compressed) and a float32 first output with N values).");
        var names = session.InputNames;
        if (names.Count != 2) Fail($"it has {names.Count} input(s)");
        var dims = new int[2][];
        for (int k = 0; k < 2; k++)
        {
            var meta = session.InputMetadata[names[k]];
            if (!meta.IsTensor) Fail($"input {k} '{names[k]}' is a {meta.OnnxValueType}, not a tensor");
            if (meta.ElementDataType != TensorElementType.Float) Fail($"input {k} '{names[k]}' has element type {meta.ElementDataType}, not float32");
            var d = meta.Dimensions;
            if (d.Length != 4) Fail($"input {k} '{names[k]}' has rank {d.Length}, not 4");
            if (d[0] > 1) Fail($"input {k} '{names[k]}' has a fixed batch size of {d[0]} (only 1 or dynamic is supported)");
            if (d[1] is not (3 or -1)) Fail($"input {k} '{names[k]}' has {d[1]} channels, not 3");
            if (d[2] == 0 || d[3] == 0) Fail($"input {k} '{names[k]}' has an empty spatial dimension");
            dims[k] = d;
        }
        if (!dims[0].AsSpan().SequenceEqual(dims[1])) Fail($"the inputs' shapes differ ([{string.Join(",", dims[0])}] vs [{string.Join(",", dims[1])}])");
        if (session.OutputNames.Count == 0) Fail("it has no output");
        var output = session.OutputMetadata[session.OutputNames[0]];
        if (!output.IsTensor || output.ElementDataType != TensorElementType.Float)
            Fail($"output 0 '{session.OutputNames[0]}' is not a float32 tensor");
        var shape = dims[0];
        return ([names[0], names[1]], session.OutputNames[0], shape[0] == 1 ? 1 : DynamicMaxBatch,
                shape[2] > 0 ? shape[2] : null, shape[3] > 0 ? shape[3] : null);
    }

    public void Distances(ReadOnlyMemory<float> original, ReadOnlyMemory<float> compressed, int batch, int height, int width,
                          Span<float> distances)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batch, MaxBatch);
        long items = (long)batch * 3 * height * width;
        if (original.Length != items || compressed.Length != items)
            throw new ArgumentException($"inputs hold {original.Length} and {compressed.Length} floats, expected {items}");
        if (distances.Length < batch) throw new ArgumentException("distances is shorter than the batch", nameof(distances));
        long[] shape = [batch, 3, height, width];
        try
        {
            using var a = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(original), shape);
            using var b = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(compressed), shape);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, _inputNames, [a, b], _outputNames);
            var values = outputs[0].GetTensorDataAsSpan<float>();
            if (values.Length != batch)
                throw new LpipsModelException($"'{Path}': the first output has {values.Length} values for a batch of {batch}");
            values.CopyTo(distances);
        }
        catch (OnnxRuntimeException e)
        {
            throw new LpipsModelException($"'{Path}' failed on a {batch}×3×{height}×{width} batch: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
