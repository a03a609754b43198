using GifLab.Modeling;
using Microsoft.ML;

namespace GifLab.Tests.Modeling;

/// <summary>
/// <see cref="GbmTrees"/> must score exactly as ML.NET does: the reference is ML.NET's own <c>PredictionEngine</c> on the
/// same trained LightGBM model (float equality, not a tolerance), over rows with missing (NaN) inputs, values outside the
/// training range and infinities.
/// </summary>
public class GbmTreesTests
{
    private const int Width = 6;

    /// <summary>Synthetic rows: a smooth function of the inputs plus noise; input 2 is missing in 30 % of the rows and input 4 in 5 %.</summary>
    private static (List<float[]> X, List<float> Y) Data(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new List<float[]>();
        var y = new List<float>();
        for (var i = 0; i < n; i++)
        {
            var row = new float[Width];
            for (var j = 0; j < Width; j++) row[j] = (float)(rng.NextDouble() * 10 - 2);
            var label = Math.Sin(row[0]) + 0.3 * row[1] * row[1] - (float.IsNaN(row[2]) ? 0 : row[2]) + 0.1 * row[3];
            if (rng.NextDouble() < 0.3) row[2] = float.NaN;
            if (rng.NextDouble() < 0.05) row[4] = float.NaN;
            label += float.IsNaN(row[2]) ? 4 : 0; // missing carries information: the trees learn a default side
            x.Add(row);
            y.Add((float)(label + rng.NextDouble() * 0.1));
        }
        return (x, y);
    }

    private static IEnumerable<float[]> Probes(int seed)
    {
        var (x, _) = Data(400, seed);
        foreach (var row in x) yield return row;
        var rng = new Random(seed + 1);
        for (var i = 0; i < 200; i++)
        {
            var row = new float[Width];
            for (var j = 0; j < Width; j++)
                row[j] = rng.Next(8) switch
                {
                    0 => float.NaN,
                    1 => float.PositiveInfinity,
                    2 => float.NegativeInfinity,
                    3 => (float)(rng.NextDouble() * 1e6 - 5e5), // far outside the training range
                    _ => (float)(rng.NextDouble() * 10 - 2),
                };
            yield return row;
        }
        yield return new float[Width];
        yield return Enumerable.Repeat(float.NaN, Width).ToArray();
    }

    [Fact]
    public void Trees_ScoreExactlyAsMlNet_MissingAndOutOfRangeInputsIncluded()
    {
        var ml = new MLContext(seed: 1);
        var (x, y) = Data(600, seed: 5);
        var model = GbmTraining.TrainTransformer(ml, x, y, new GbmSettings(Iterations: 60, Leaves: 15, MinExamplesPerLeaf: 5));
        var reference = GbmTraining.MlNetScorer(ml, model, Width);
        var trained = GbmTraining.Train(ml, x, y, new GbmSettings(Iterations: 60, Leaves: 15, MinExamplesPerLeaf: 5));
        Assert.True(trained.Trees.TreeCount >= 60, $"{trained.Trees.TreeCount} trees");
        Assert.True(trained.Trees.TreesWithMissingDefaults > 0, "no tree carries missing-value defaults: the NaN rule is untested");

        var checkedRows = 0;
        foreach (var row in Probes(9))
        {
            Assert.Equal(reference(row), (float)trained.Predict(row));
            checkedRows++;
        }
        Assert.True(checkedRows > 600);
        // The model learnt something about missing input 2, so the default-side rule was exercised.
        var withValue = new float[] { 1, 1, 9, 1, 1, 1 };
        var missing = new float[] { 1, 1, float.NaN, 1, 1, 1 };
        Assert.NotEqual(trained.Predict(withValue), trained.Predict(missing));

        // Trained without any missing input, no tree carries defaults: a NaN at prediction time follows ML.NET's other rule.
        var complete = x.Select(r => r.Select(v => float.IsNaN(v) ? 1f : v).ToArray()).ToList();
        var plainModel = GbmTraining.TrainTransformer(ml, complete, y, new GbmSettings(Iterations: 30, MinExamplesPerLeaf: 5));
        var plainReference = GbmTraining.MlNetScorer(ml, plainModel, Width);
        var plain = GbmTraining.Train(ml, complete, y, new GbmSettings(Iterations: 30, MinExamplesPerLeaf: 5));
        Assert.Equal(0, plain.Trees.TreesWithMissingDefaults);
        foreach (var row in Probes(4))
            Assert.Equal(plainReference(row), (float)plain.Predict(row));
    }

    [Fact]
    public void SaveAndLoad_SameScores_DeterministicBytes_AndLegacyZipLoadsToTheSameTrees()
    {
        using var dir = new TempDir();
        var ml = new MLContext(seed: 1);
        var (x, y) = Data(300, seed: 7);
        var settings = new GbmSettings(Iterations: 40, MinExamplesPerLeaf: 5);
        var model = GbmTraining.TrainTransformer(ml, x, y, settings);
        var reference = GbmTraining.MlNetScorer(ml, model, Width);
        var trained = GbmTraining.Train(ml, x, y, settings);
        trained.Save(dir.File("a.gbm"));
        trained.Save(dir.File("b.gbm"));
        Assert.Equal(File.ReadAllBytes(dir.File("a.gbm")), File.ReadAllBytes(dir.File("b.gbm")));

        // An ML.NET zip, as model folders written before the tree format hold.
        var schemaRow = new GbmTraining.Row { Features = new float[Width] };
        ml.Model.Save(model, ml.Data.LoadFromEnumerable(new[] { schemaRow }, SchemaDefinitionFor()).Schema, dir.File("legacy.zip"));

        var loaded = GbmRegressor.Load(dir.File("a.gbm"), Width);
        var legacy = GbmRegressor.Load(dir.File("legacy.zip"), Width);
        foreach (var row in Probes(3))
        {
            var expected = reference(row);
            Assert.Equal(expected, (float)loaded.Predict(row));
            Assert.Equal(expected, (float)legacy.Predict(row));
        }
    }

    private static Microsoft.ML.Data.SchemaDefinition SchemaDefinitionFor()
    {
        var def = Microsoft.ML.Data.SchemaDefinition.Create(typeof(GbmTraining.Row));
        def[nameof(GbmTraining.Row.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, Width);
        return def;
    }

    [Fact]
    public void Read_DamagedFiles_AreInvalidData_NotACrashOrAHang()
    {
        using var dir = new TempDir();
        var ml = new MLContext(seed: 1);
        var (x, y) = Data(200, seed: 2);
        GbmTraining.Train(ml, x, y, new GbmSettings(Iterations: 10, MinExamplesPerLeaf: 5)).Save(dir.File("m.gbm"));
        var good = File.ReadAllBytes(dir.File("m.gbm"));

        InvalidDataException Fails(byte[] bytes, int width = Width) =>
            Assert.Throws<InvalidDataException>(() => GbmTrees.Read(new MemoryStream(bytes), width));

        Assert.Contains("not a GifLab", Fails("PK\u0003\u0004junk"u8.ToArray()).Message, StringComparison.Ordinal);
        Assert.Contains("not a GifLab", Fails([]).Message, StringComparison.Ordinal);
        Assert.Contains("inputs", Fails(good, Width + 1).Message, StringComparison.Ordinal);
        var version = (byte[])good.Clone();
        version[5] = 99;
        Assert.Contains("format 99", Fails(version).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Fails(good[..(good.Length / 2)]).Message, StringComparison.Ordinal);

        // A child index pointing back up the tree would loop forever: refused on read.
        var trees = GbmTrees.Read(new MemoryStream(good), Width);
        Assert.Equal(10, trees.TreeCount);
        // Layout (inflated body): width (4), count (4), bias (8), then tree 0: weight (8), node count (4), Left[0].
        var body = Inflate(good);
        var cyclic = (byte[])body.Clone();
        BitConverter.TryWriteBytes(cyclic.AsSpan(4 + 4 + 8 + 8 + 4, 4), 0);
        Assert.Contains("outside the tree", Fails(Deflate(good[..6], cyclic)).Message, StringComparison.Ordinal);
        var feature = (byte[])body.Clone();
        var n = BitConverter.ToInt32(body, 4 + 4 + 8 + 8);
        BitConverter.TryWriteBytes(feature.AsSpan(4 + 4 + 8 + 8 + 4 + 8 * n, 4), Width + 3); // Feature[0]
        Assert.Contains("splits on input", Fails(Deflate(good[..6], feature)).Message, StringComparison.Ordinal);
        Assert.Contains("trailing", Fails(Deflate(good[..6], [.. body, 0])).Message, StringComparison.Ordinal);
        Assert.Contains("damaged", Fails([.. good[..6], .. "not deflate at all"u8.ToArray()]).Message, StringComparison.Ordinal);
    }

    private static byte[] Inflate(byte[] file)
    {
        using var z = new System.IO.Compression.DeflateStream(new MemoryStream(file, 6, file.Length - 6), System.IO.Compression.CompressionMode.Decompress);
        using var o = new MemoryStream();
        z.CopyTo(o);
        return o.ToArray();
    }

    private static byte[] Deflate(byte[] head, byte[] body)
    {
        using var o = new MemoryStream();
        o.Write(head);
        using (var z = new System.IO.Compression.DeflateStream(o, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) z.Write(body);
        return o.ToArray();
    }
}
