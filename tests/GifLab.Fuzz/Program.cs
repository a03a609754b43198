// giflab decoder fuzzer: dotnet GifLab.Fuzz.dll [N=100000] [--seed S] [--budget-ms 2000] [--strict] [--findings DIR] SEED_DIR...
// Prints one summary line; exit 0 when no unhandled exception and no hang, 1 otherwise (3 when a decode never returned).
using System.Globalization;
using GifLab.Fuzz;

long count = 100_000;
var seed = 20261124;
var budgetMs = 2000;
string? findings = null;
var strict = false;
var dirs = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--budget-ms": budgetMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--findings": findings = args[++i]; break;
        case "--strict": strict = true; break;
        default:
            if (long.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) count = n;
            else dirs.Add(args[i]);
            break;
    }
}
var seeds = DecoderFuzzer.LoadSeeds(dirs);
Console.Error.WriteLine($"fuzz: {seeds.Count} seed files from {string.Join(", ", dirs)}; {count} inputs, seed {seed}, budget {budgetMs} ms{(strict ? ", strict mode" : "")}");
var fuzzer = new DecoderFuzzer(seeds, seed, TimeSpan.FromMilliseconds(budgetMs), findings)
{
    Options = strict ? GifLab.Core.Decoding.GifDecoderOptions.Default with { Lenient = false } : GifLab.Core.Decoding.GifDecoderOptions.Default,
};
var started = DateTime.UtcNow;
var report = fuzzer.Run(count, r => Console.Error.WriteLine($"fuzz: {r.Inputs} inputs, {r.Unhandled} unhandled, {r.Hangs} slow, slowest {r.SlowestMs:0} ms, peak {r.PeakWorkingSetBytes >> 20} MiB"));
foreach (var f in report.Findings.Take(50)) Console.Error.WriteLine("finding: " + f);
Console.WriteLine($"fuzz result: {report} ; wall {(DateTime.UtcNow - started).TotalSeconds:0} s");
return report.Unhandled == 0 && report.Hangs == 0 ? 0 : 1;
