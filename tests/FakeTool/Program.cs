// Stand-in for a compressor in tests (modelled on CliWrap.Tests.Dummy). Modes, chosen by the first argument:
//   copy IN OUT                 copy IN to OUT, exit 0
//   exit N [MESSAGE]            write MESSAGE (default "failing on purpose") to stderr, exit N
//   sleep MS                    sleep, then exit 0 (a hang when MS is large)
//   garbage OUT                 write bytes that are not a GIF, exit 0
//   truncated IN OUT            write the first half of IN, exit 0
//   nothing                     write nothing, exit 0
//   printenv NAME               write the environment variable NAME to stdout
//   huge OUT MB                 write MB mebibytes of zeros to OUT, exit 0
//   spam MB                     write MB mebibytes to stdout and stderr each (tests concurrent draining), exit 0
//   echo OUT ARGS...            write each ARG on its own record (NUL-separated, UTF-8) to OUT, exit 0
//   spawn-hang PIDFILE          start a child "sleep 600" FakeTool, write its pid to PIDFILE, then hang
//   --input/--advanced-lossy …  animately stand-in: checks the flags, copies --input to --output (see Animately()).
//                               Failure triggers: --lossy 97 writes garbage, --lossy 98 hangs, --lossy 99 writes nothing,
//                               96 exits 1 with a message on stderr, 95 writes the first half of the input (truncated GIF),
//                               94 writes the input followed by 11× its size of zero bytes (huge output), 92 the input
//                               followed by 16 MiB of zeros (over the output cap), 93 starts a
//                               hanging child (pid written to $GIFLAB_FAKE_PID_DIR/child-PID when set) and hangs;
//                               91 starts a child that escapes with setsid (escaped-PID) and hangs, 90 does the same
//                               but then finishes normally. 93, 91 and 90 also write engine-PID (their own pid).
//                               89 dies of SIGKILL (as if the OOM killer had struck).
using System.Diagnostics;
using System.Text;

if (args.Length == 0)
{
    Console.Error.WriteLine("FakeTool: no mode");
    return 64;
}

switch (args[0])
{
    case "copy":
        File.Copy(args[1], args[2], overwrite: true);
        return 0;
    case "exit":
        Console.Error.WriteLine(args.Length > 2 ? args[2] : "failing on purpose");
        return int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
    case "sleep":
        Thread.Sleep(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    case "garbage":
        File.WriteAllBytes(args[1], Encoding.ASCII.GetBytes("this is not a GIF at all, just some junk bytes\n"));
        return 0;
    case "truncated":
    {
        var bytes = File.ReadAllBytes(args[1]);
        File.WriteAllBytes(args[2], bytes.AsSpan(0, bytes.Length / 2).ToArray());
        return 0;
    }
    case "nothing":
        return 0;
    case "printenv":
        Console.Write(Environment.GetEnvironmentVariable(args[1]) ?? "");
        return 0;
    case "huge":
    {
        var mb = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        using var f = File.Create(args[1]);
        var block = new byte[1 << 20];
        for (var i = 0; i < mb; i++) f.Write(block);
        return 0;
    }
    case "spam":
    {
        var mb = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var line = new string('x', 1023);
        var stdout = Console.Out;
        var stderr = Console.Error;
        for (var i = 0; i < mb * 1024; i++)
        {
            stdout.WriteLine(line);
            stderr.WriteLine(line);
        }
        stderr.WriteLine("END-OF-STDERR");
        return 0;
    }
    case "echo":
        File.WriteAllText(args[1], string.Join('\0', args.Skip(2)), new UTF8Encoding(false));
        return 0;
    case "spawn-hang":
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Running as "dotnet FakeTool.dll": re-run the same dll.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            psi.ArgumentList.Add(typeof(FakeToolMarker).Assembly.Location);
        psi.ArgumentList.Add("sleep");
        psi.ArgumentList.Add("600000");
        using var child = Process.Start(psi)!;
        File.WriteAllText(args[1], child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Thread.Sleep(600_000);
        return 0;
    }
    case "--version":
        Console.WriteLine("animately stand-in (GifLab FakeTool)\nVersion: 0.0-fake");
        return 0;
    default:
        if (args[0].StartsWith("--", StringComparison.Ordinal)) return Animately(args);
        Console.Error.WriteLine($"FakeTool: unknown mode '{args[0]}'");
        return 64;
}

// animately stand-in: accepts exactly the documented flags, validates their values, records its argv next to the
// output (OUT + ".argv", NUL-separated; also into $GIFLAB_FAKE_ARGV_DIR when set) and copies --input to --output. Exits 2 on any unexpected flag or value.
static int Animately(string[] args)
{
    string? input = null, output = null, config = null, lossy = null;
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        try
        {
            switch (args[i])
            {
                case "--input": input = Next(); break;
                case "--output": output = Next(); break;
                case "--lossy": lossy = Next(); Range(lossy, 0, 100); break;
                case "--hard": break;
                case "--colors": Range(Next(), 2, 256); break;
                case "--loops": Range(Next(), 0, 65535); break;
                case "--delay": Range(Next(), 0, 655350); break;
                case "--reduce":
                {
                    var r = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    if (!(r > 0 && r <= 1)) throw new ArgumentException("--reduce out of (0,1]");
                    break;
                }
                case "--advanced-lossy": config = Next(); break;
                default: throw new ArgumentException($"unknown flag {args[i]}");
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine("animately stand-in: " + e.Message);
            return 2;
        }
    }
    if (input is null || output is null)
    {
        Console.Error.WriteLine("animately stand-in: --input and --output are required");
        return 2;
    }
    if (config is not null)
    {
        var json = File.ReadAllText(config);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        foreach (var frame in doc.RootElement.GetProperty("frames").EnumerateArray())
        {
            var png = File.ReadAllBytes(frame.GetProperty("png").GetString()!);
            if (png.Length < 8 || png[1] != (byte)'P' || png[2] != (byte)'N' || png[3] != (byte)'G')
            {
                Console.Error.WriteLine("animately stand-in: frame is not a PNG");
                return 3;
            }
        }
    }
    switch (lossy)
    {
        case "97":
            File.WriteAllText(output, "garbage, not a GIF");
            return 0;
        case "98":
            Thread.Sleep(600_000);
            return 0;
        case "99":
            return 0;
        case "96":
            Console.Error.WriteLine("animately stand-in: simulated internal error (lossy 96)");
            return 1;
        case "95":
        {
            var bytes = File.ReadAllBytes(input);
            File.WriteAllBytes(output, bytes.AsSpan(0, bytes.Length / 2).ToArray());
            return 0;
        }
        case "89":
            // Killed from outside (as by the OOM killer): SIGKILL to itself, no output.
            Process.GetCurrentProcess().Kill();
            Thread.Sleep(10_000);
            return 0;
        case "92":
        {
            // A runaway output: the input followed by 16 MiB of zeros (over GifLab's output cap for small GIFs).
            var bytes = File.ReadAllBytes(input);
            using var f = File.Create(output);
            f.Write(bytes);
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 16; i++) f.Write(zeros);
            return 0;
        }
        case "94":
        {
            var bytes = File.ReadAllBytes(input);
            using var f = File.Create(output);
            f.Write(bytes);
            f.Write(new byte[bytes.Length * 11]);
            return 0;
        }
        case "93":
        {
            var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
                psi.ArgumentList.Add(typeof(FakeToolMarker).Assembly.Location);
            psi.ArgumentList.Add("sleep");
            psi.ArgumentList.Add("600000");
            using var child = Process.Start(psi)!;
            if (Environment.GetEnvironmentVariable("GIFLAB_FAKE_PID_DIR") is { Length: > 0 } dir)
            {
                File.WriteAllText(Path.Combine(dir, $"child-{child.Id}"), "");
                File.WriteAllText(Path.Combine(dir, $"engine-{Environment.ProcessId}"), "");
            }
            Thread.Sleep(600_000);
            return 0;
        }
        case "91" or "90":
        {
            // A grandchild that escapes the engine's process group and session (setsid) and keeps the engine's stdout
            // and stderr open; 91 then hangs, 90 finishes normally (copies its input) and leaves the grandchild behind.
            var psi = new ProcessStartInfo("setsid") { UseShellExecute = false };
            psi.ArgumentList.Add(Environment.ProcessPath!);
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
                psi.ArgumentList.Add(typeof(FakeToolMarker).Assembly.Location);
            psi.ArgumentList.Add("sleep");
            psi.ArgumentList.Add("600000");
            using var child = Process.Start(psi)!;
            if (Environment.GetEnvironmentVariable("GIFLAB_FAKE_PID_DIR") is { Length: > 0 } dir)
            {
                File.WriteAllText(Path.Combine(dir, $"escaped-{child.Id}"), "");
                File.WriteAllText(Path.Combine(dir, $"engine-{Environment.ProcessId}"), "");
            }
            if (lossy == "91") Thread.Sleep(600_000);
            break;
        }
    }
    File.WriteAllText(output + ".argv", string.Join('\0', args), new UTF8Encoding(false));
    if (Environment.GetEnvironmentVariable("GIFLAB_FAKE_ARGV_DIR") is { Length: > 0 } argvDir)
        File.WriteAllText(Path.Combine(argvDir, $"argv-{Guid.NewGuid():N}"), string.Join('\0', args), new UTF8Encoding(false));
    File.Copy(input, output, overwrite: true);
    return 0;
}

static void Range(string value, int min, int max)
{
    var v = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
    if (v < min || v > max) throw new ArgumentException($"{value} not in [{min},{max}]");
}

internal sealed class FakeToolMarker;
