using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GifLab.Core.Model;
using GifLab.Runs;

namespace GifLab.Cli;

/// <summary>How <c>giflab run</c> reports progress on stderr (<c>--progress</c>).</summary>
internal enum ProgressMode
{
    /// <summary>One updating line (carriage return), on a terminal without NO_COLOR / TERM=dumb.</summary>
    Live,
    /// <summary>A plain line every 10 s (stderr redirected, NO_COLOR set, or TERM=dumb).</summary>
    Plain,
    /// <summary>Newline-delimited JSON events, one object per line (docs/cli.md "Progress events").</summary>
    Json,
    /// <summary>Nothing (<c>--quiet</c> or <c>--progress none</c>).</summary>
    None,
}

/// <summary>
/// Run progress on stderr: GIFs started/found, runs done/total, rate, ETA, failures, stored. The total is known from the
/// plan before the first run (files × planned runs per GIF) and shrinks as runs turn out not to be needed (already
/// stored, duplicates, undecodable GIFs); it never counts only the GIFs started so far.
/// <para>
/// The live line is written by hand rather than with Spectre.Console's Progress widget: it is one line on stderr that
/// other threads may interrupt with warnings (a live Spectre display owns the console and garbles interleaved writes),
/// it needs no ANSI support (it only uses '\r'), and the same counters feed the plain and JSON modes. See docs/cli.md.
/// </para>
/// </summary>
internal sealed class ConsoleProgress : IRunObserver, IDisposable
{
    private readonly TextWriter _out;
    private readonly ProgressMode _mode;
    private readonly bool _verbose;
    private readonly int _runsPerGif;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private readonly Lock _gate = new();
    private int _files, _gifs, _done, _failed, _committed;
    private long _notNeeded;
    private bool _stopped;

    public ConsoleProgress(TextWriter output, ProgressMode mode, int runsPerGif, bool verbose = false)
    {
        _out = output;
        _mode = mode;
        _verbose = verbose;
        _runsPerGif = runsPerGif;
        if (mode is ProgressMode.Live or ProgressMode.Plain)
        {
            var period = mode == ProgressMode.Live ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10);
            _timer = new Timer(_ => Render(final: false), null, period, period);
        }
    }

    /// <summary>
    /// The mode for a <c>--progress</c> value: auto = live on a terminal, plain when stderr is redirected or the
    /// environment asks for plain output (NO_COLOR set, TERM=dumb).
    /// </summary>
    public static ProgressMode Resolve(string value, bool quiet, bool stderrRedirected, Func<string, string?> env) => value switch
    {
        _ when quiet => ProgressMode.None,
        "json" => ProgressMode.Json,
        "none" => ProgressMode.None,
        "plain" => ProgressMode.Plain,
        _ when stderrRedirected || !string.IsNullOrEmpty(env("NO_COLOR")) || env("TERM") == "dumb" => ProgressMode.Plain,
        _ => ProgressMode.Live,
    };

    /// <summary>Runs still expected in all: files × runs per GIF, less those that turned out not to be needed.</summary>
    public long Total => Math.Max((long)Volatile.Read(ref _files) * _runsPerGif - Interlocked.Read(ref _notNeeded), Volatile.Read(ref _done));

    public void Discovered(int files)
    {
        _files = files;
        Event("discovered", w => { w.WriteNumber("files", files); w.WriteNumber("runs_per_gif", _runsPerGif); w.WriteNumber("total_runs", Total); });
    }

    public void GifStarted(string path, int pendingRuns)
    {
        Interlocked.Increment(ref _gifs);
        Event("gif_started", w => { w.WriteString("path", path); w.WriteNumber("pending_runs", pendingRuns); w.WriteNumber("total_runs", Total); });
        if (_verbose) Line($"gif: {path}: {pendingRuns} runs to do");
    }

    public void GifFailed(string path, string reason)
    {
        Interlocked.Increment(ref _failed);
        Event("gif_failed", w => { w.WriteString("path", path); w.WriteString("reason", reason); });
        if (_verbose) Line($"gif failed: {path}: {reason}");
    }

    public void RunFinished(string path, PipelineId pipeline, ParamPreset preset, string status)
    {
        var done = Interlocked.Increment(ref _done);
        if (status != "valid") Interlocked.Increment(ref _failed);
        Event("run_finished", w =>
        {
            w.WriteString("path", path);
            w.WriteString("pipeline", pipeline.ToString());
            w.WriteNumber("lossy_level", preset.LossyLevel);
            w.WriteNumber("color_count", preset.ColorCount);
            w.WriteNumber("frame_ratio", preset.FrameRatio);
            w.WriteString("status", status);
            w.WriteNumber("done", done);
            w.WriteNumber("total_runs", Total);
        });
        if (_verbose && status != "valid") Line($"run {status}: {path}: {pipeline} {preset}");
    }

    public void Committed(int runs)
    {
        var stored = Interlocked.Add(ref _committed, runs);
        Event("committed", w => { w.WriteNumber("runs", runs); w.WriteNumber("stored", stored); });
    }

    public void RunsNotNeeded(int runs) => Interlocked.Add(ref _notNeeded, runs);

    /// <summary>The status line (also the plain mode's periodic line).</summary>
    internal string StatusLine()
    {
        var secs = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var rate = _done / secs;
        var total = Total;
        var left = total - _done;
        var eta = rate > 0 && left > 0 ? TimeSpan.FromSeconds(left / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
        return string.Create(CultureInfo.InvariantCulture,
            $"GIFs {_gifs}/{_files}  runs {_done}/{total}  {rate:0.0} runs/s  ETA {eta}  failures {_failed}  stored {_committed}");
    }

    public void WaitingForOthers(long heldByOthers)
    {
        Line($"giflab run: queue drained; waiting for {heldByOthers} item(s) other workers hold (a dead worker's items are taken over when its lease runs out; --no-wait stops instead)");
    }

    private void Render(bool final)
    {
        lock (_gate)
        {
            if (_stopped) return;
            var line = StatusLine();
            if (_mode == ProgressMode.Live)
                _out.Write("\r" + line.PadRight(Math.Min(Console.BufferWidth > 0 ? Console.BufferWidth - 1 : 100, 120)) + (final ? "\n" : ""));
            else _out.WriteLine(line);
        }
    }

    /// <summary>A verbose line: on a live terminal it replaces the status line, which the next tick redraws.</summary>
    private void Line(string text)
    {
        if (_mode is not (ProgressMode.Live or ProgressMode.Plain)) return;
        lock (_gate)
        {
            if (_stopped) return;
            _out.WriteLine(_mode == ProgressMode.Live ? "\r" + text.PadRight(Math.Min(Console.BufferWidth > 0 ? Console.BufferWidth - 1 : 100, 120)) : text);
        }
    }

    /// <summary>One NDJSON event (<c>--progress json</c>): <c>{"event": NAME, "elapsed_ms": …, …}</c> on its own line.</summary>
    private void Event(string name, Action<Utf8JsonWriter> fields)
    {
        if (_mode != ProgressMode.Json) return;
        WriteEvent(name, fields);
    }

    /// <summary>Writes an event whatever the mode is (the run command's start and end events use it in JSON mode).</summary>
    internal void WriteEvent(string name, Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("event", name);
            w.WriteNumber("elapsed_ms", Math.Round(_clock.Elapsed.TotalMilliseconds, 1));
            fields(w);
            w.WriteEndObject();
        }
        var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (_gate)
        {
            if (!_stopped) _out.WriteLine(text);
        }
    }

    public void Stop()
    {
        _timer?.Change(Timeout.Infinite, Timeout.Infinite);
        if (_mode is ProgressMode.Live or ProgressMode.Plain) Render(final: true);
        lock (_gate) _stopped = true;
    }

    public void Dispose()
    {
        if (!_stopped) Stop();
        _timer?.Dispose();
    }
}
