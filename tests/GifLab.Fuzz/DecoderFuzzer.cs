using System.Diagnostics;
using GifLab.Core.Decoding;

namespace GifLab.Fuzz;

/// <summary>Outcome counts of a fuzzing session.</summary>
public sealed class FuzzReport
{
    public long Inputs;
    public long Decoded;
    public long FormatErrors;
    public long Unhandled;
    public long Hangs;
    public double SlowestMs;
    /// <summary>Most bytes allocated by one decode (frames at the decoder limits dominate).</summary>
    public long LargestDecodeAllocationBytes;
    public long PeakWorkingSetBytes;
    public readonly Dictionary<string, long> ErrorKinds = new(StringComparer.Ordinal);
    public readonly Dictionary<string, long> Mutations = new(StringComparer.Ordinal);
    /// <summary>Unhandled exceptions and hangs: (what, mutation, file written, or null).</summary>
    public readonly List<string> Findings = [];

    public override string ToString()
    {
        var kinds = string.Join(", ", ErrorKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"));
        var muts = string.Join(", ", Mutations.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"));
        return $"inputs {Inputs}: decoded {Decoded}, GifFormatException {FormatErrors} ({kinds}); " +
               $"unhandled exceptions {Unhandled}, hangs (> budget) {Hangs}; slowest {SlowestMs:0} ms; " +
               $"largest single-decode allocation {LargestDecodeAllocationBytes / (1 << 20)} MiB; peak working set {PeakWorkingSetBytes / (1 << 20)} MiB; mutations: {muts}";
    }
}

/// <summary>
/// Random mutations of seed GIFs (bit flips, byte overwrites with interesting values, inserts, deletes, truncations,
/// splices of two seeds, header-field edits) fed to <see cref="GifDecoder.Decode"/>. Anything but
/// <see cref="GifFormatException"/> is a finding; so is a decode slower than the budget. A watchdog thread ends the
/// process (exit 3, input saved) if one decode runs past ten times the budget: a real hang cannot be interrupted.
/// </summary>
public sealed class DecoderFuzzer(IReadOnlyList<byte[]> seeds, int seed, TimeSpan budget, string? findingsDir = null)
{
    private readonly Random _rng = new(seed);

    public GifDecoderOptions Options { get; init; } = GifDecoderOptions.Default;

    public FuzzReport Run(long count, Action<FuzzReport>? progress = null)
    {
        if (seeds.Count == 0) throw new ArgumentException("no seed files", nameof(seeds));
        var report = new FuzzReport();
        byte[] current = [];
        long startedAt = 0;
        var done = 0;
        var watchdog = new Thread(() =>
        {
            var hard = (long)(budget.TotalMilliseconds * 10 * Stopwatch.Frequency / 1000);
            while (Volatile.Read(ref done) == 0)
            {
                Thread.Sleep(200);
                var s = Interlocked.Read(ref startedAt);
                if (s != 0 && Stopwatch.GetTimestamp() - s > hard)
                {
                    var file = Save(Volatile.Read(ref current), "hang");
                    Console.Error.WriteLine($"fuzz: HANG: one decode ran over {budget.TotalSeconds * 10:0} s; input saved to {file}");
                    Environment.Exit(3);
                }
            }
        }) { IsBackground = true };
        watchdog.Start();
        try
        {
            for (long i = 0; i < count; i++)
            {
                var (input, mutation) = Mutate();
                report.Inputs++;
                report.Mutations[mutation] = report.Mutations.GetValueOrDefault(mutation) + 1;
                Volatile.Write(ref current, input);
                var a0 = GC.GetAllocatedBytesForCurrentThread();
                var t0 = Stopwatch.GetTimestamp();
                Interlocked.Exchange(ref startedAt, t0);
                try
                {
                    var frames = GifDecoder.Decode(input, Options);
                    if (frames.FrameCount < 1) throw new InvalidOperationException("decoded a sequence with no frames");
                    report.Decoded++;
                }
                catch (GifFormatException e)
                {
                    report.FormatErrors++;
                    var k = e.Kind.ToString();
                    report.ErrorKinds[k] = report.ErrorKinds.GetValueOrDefault(k) + 1;
                }
                catch (Exception e)
                {
                    report.Unhandled++;
                    report.Findings.Add($"unhandled {e.GetType().Name}: {e.Message} [{mutation}] {Save(input, "crash")}\n{e.StackTrace}");
                }
                Interlocked.Exchange(ref startedAt, 0);
                var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                var allocated = GC.GetAllocatedBytesForCurrentThread() - a0;
                if (allocated > report.LargestDecodeAllocationBytes) report.LargestDecodeAllocationBytes = allocated;
                if (ms > report.SlowestMs) report.SlowestMs = ms;
                if (ms > budget.TotalMilliseconds)
                {
                    report.Hangs++;
                    report.Findings.Add($"slow: {ms:0} ms, {allocated >> 20} MiB allocated [{mutation}] {Save(input, "slow")}");
                }
                if (progress is not null && (i + 1) % 10_000 == 0)
                {
                    report.PeakWorkingSetBytes = PeakWorkingSet();
                    progress(report);
                }
            }
        }
        finally
        {
            Volatile.Write(ref done, 1);
        }
        report.PeakWorkingSetBytes = PeakWorkingSet();
        return report;
    }

    private static long PeakWorkingSet()
    {
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    private string? Save(byte[] input, string what)
    {
        if (findingsDir is null) return null;
        Directory.CreateDirectory(findingsDir);
        var file = Path.Combine(findingsDir, $"{what}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input))[..16]}.gif");
        File.WriteAllBytes(file, input);
        return file;
    }

    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x07, 0x08, 0x0B, 0x21, 0x2C, 0x3B, 0x7F, 0x80, 0xF9, 0xFE, 0xFF];

    /// <summary>One mutated input and the name of the mutation applied ("stacked" when 2–4 were applied).</summary>
    public (byte[] Input, string Mutation) Mutate()
    {
        var data = new List<byte>(seeds[_rng.Next(seeds.Count)]);
        var steps = 1 + (_rng.Next(4) == 0 ? _rng.Next(3) + 1 : 0);
        string name = "";
        for (var s = 0; s < steps; s++)
        {
            var op = _rng.Next(8);
            name = s == 0 ? OpName(op) : "stacked";
            var n = data.Count;
            switch (op)
            {
                case 0 when n > 0: // bit flips
                    for (var k = 1 + _rng.Next(8); k > 0; k--)
                    {
                        var at = _rng.Next(n);
                        data[at] ^= (byte)(1 << _rng.Next(8));
                    }
                    break;
                case 1 when n > 0: // interesting byte values
                    for (var k = 1 + _rng.Next(4); k > 0; k--)
                        data[_rng.Next(n)] = Interesting[_rng.Next(Interesting.Length)];
                    break;
                case 2: // insert random bytes
                {
                    var at = _rng.Next(n + 1);
                    var len = 1 + _rng.Next(_rng.Next(2) == 0 ? 4 : 256);
                    var bytes = new byte[len];
                    _rng.NextBytes(bytes);
                    data.InsertRange(at, bytes);
                    break;
                }
                case 3 when n > 0: // delete a range
                {
                    var at = _rng.Next(n);
                    data.RemoveRange(at, Math.Min(n - at, 1 + _rng.Next(_rng.Next(2) == 0 ? 4 : 256)));
                    break;
                }
                case 4: // truncate
                    data = data.GetRange(0, _rng.Next(n + 1));
                    break;
                case 5: // splice: head of this input + tail of another seed
                {
                    var other = seeds[_rng.Next(seeds.Count)];
                    var cut = _rng.Next(n + 1);
                    var from = _rng.Next(other.Length + 1);
                    data = data.GetRange(0, cut);
                    data.AddRange(other.AsSpan(from).ToArray());
                    break;
                }
                case 6 when n >= 13: // logical screen / first image descriptor fields set to extremes
                {
                    var at = _rng.Next(2) == 0 ? 6 + _rng.Next(7) : _rng.Next(n);
                    data[at] = _rng.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                    break;
                }
                case 7 when n > 1: // duplicate a block of the file at a random place (repeated extensions, frames)
                {
                    var at = _rng.Next(n);
                    var len = Math.Min(n - at, 1 + _rng.Next(512));
                    var block = data.GetRange(at, len);
                    data.InsertRange(_rng.Next(n + 1), block);
                    break;
                }
            }
        }
        return (data.ToArray(), name);
    }

    private static string OpName(int op) => op switch
    {
        0 => "bitflip", 1 => "interesting", 2 => "insert", 3 => "delete", 4 => "truncate", 5 => "splice", 6 => "header", _ => "duplicate",
    };

    /// <summary>Every *.gif under the folders (sorted, so a fixed seed gives the same session).</summary>
    public static List<byte[]> LoadSeeds(IEnumerable<string> folders, long maxBytes = 256 * 1024)
    {
        var files = new List<string>();
        foreach (var f in folders)
            if (Directory.Exists(f))
                files.AddRange(Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories)
                    .Where(p => p.EndsWith(".gif", StringComparison.OrdinalIgnoreCase) && new FileInfo(p).Length <= maxBytes));
        files.Sort(StringComparer.Ordinal);
        return files.Select(File.ReadAllBytes).ToList();
    }
}
