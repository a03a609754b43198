// GifLab as a library: the five things the package is for, on one GIF.
//   dotnet run -- INPUT.gif [MODELS_DIR]        (scripts/library-sample.sh packs GifLab and runs this)
using GifLab.Compression;
using GifLab.Core.Features;
using GifLab.Core.Model;
using GifLab.Modeling;

var input = args.Length > 0 ? args[0] : "waves.gif";
var models = args.Length > 1 ? args[1] : null;
var work = Directory.CreateTempSubdirectory("giflab-sample-").FullName;

// 1. Features of the GIF (the same extractor `giflab run` stores).
var (features, inputs, size) = GifFeatureReader.Read(input);
Console.WriteLine($"{Path.GetFileName(input)}: {size} bytes, {inputs["frame_count"]} frames, content type {ContentTypeClassifier.Classify(features)}, entropy {features.Entropy:0.00}");

// 2. Compress with one engine and setting, and 3. measure the pair.
using var compressor = await GifCompressor.CreateAsync();
var fixedOut = Path.Combine(work, "gifsicle-40.gif");
var attempt = await compressor.CompressAsync(input, fixedOut, new EngineSetting(Engine.Gifsicle, LossyLevel: 40));
var metrics = GifQuality.Measure(input, fixedOut);
Console.WriteLine($"{attempt.Setting}: {attempt.OutputBytes} bytes, ssimulacra2 {metrics.Values["ssimulacra2"]:0.0}, composite {metrics.Values["composite_score"]:0.000}");

// 4. Predicted curves (needs models from `giflab train`, or the ones shipped with the CLI).
if (models is not null && Directory.Exists(models))
{
    var predictor = CurvePredictor.Load(models, null, ModelInputs.Names, FeatureExtractor.Version);
    foreach (var curve in predictor.Predict(inputs, size))
        Console.WriteLine($"predicted {curve.Engine.Name()} {curve.Curve}: " +
                          string.Join(" ", curve.Points.Select(p => $"{p.Position}→{p.SizeBytes:0}")));
}
else
{
    Console.WriteLine("predicted curves: no models folder given (pass one as the second argument)");
}

// 5. The smallest GIF that still has SSIMULACRA 2 ≥ 70, in at most 8 compressions.
var floorOut = Path.Combine(work, "smallest.gif");
var result = await compressor.CompressToQualityAsync(input, floorOut,
    new FloorOptions(QualityFloor.Create("ssimulacra2", 70)) { ModelsDirectory = models, UseModels = models is not null });
Console.WriteLine(result.Copied
    ? $"floor: copied unchanged ({result.Reason})"
    : $"floor: {result.Chosen!.Setting}, {result.InputBytes} → {result.OutputBytes} bytes, ssimulacra2 {result.Chosen.Quality:0.0}, {result.Tries} tries ({result.StartedFrom} start)");
Directory.Delete(work, recursive: true);
