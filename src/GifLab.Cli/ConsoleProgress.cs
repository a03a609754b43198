using System.Diagnostics;
using System.Globalization;
using GifLab.Core.Model;
using GifLab.Runs;

namespace GifLab.Cli;

/// <summary>
/// Run progress on stderr: a single updating line on a terminal; plain periodic lines (every 10 s) otherwise.
/// Shows runs done/total known so far, rate, ETA and failures.
/// </summary>
internal sealed class ConsoleProgress : IRunObserver, IDisposable
{
    private readonly TextWriter _out;
    private readonly bool _tty;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;
    private int _files, _gifs, _pending, _done, _failed, _committed;
    private bool _stopped;

    public ConsoleProgress(TextWriter output)
    {
        _out = output;
        _tty = !Console.IsErrorRedirected;
        var period = _tty ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10);
        _timer = new Timer(_ => Render(final: false), null, period, period);
    }

    public void Discovered(int files) => _files = files;
    public void GifStarted(string path, int pendingRuns) { Interlocked.Increment(ref _gifs); Interlocked.Add(ref _pending, pendingRuns); }
    public void GifFailed(string path, string reason) => Interlocked.Increment(ref _failed);
    public void RunFinished(string path, PipelineId pipeline, ParamPreset preset, string status)
    {
        Interlocked.Increment(ref _done);
        if (status != "valid") Interlocked.Increment(ref _failed);
    }
    public void Committed(int runs) => Interlocked.Add(ref _committed, runs);

    private void Render(bool final)
    {
        lock (_timer)
        {
            if (_stopped) return;
            var secs = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            var rate = _done / secs;
            var left = _pending - _done;
            var eta = rate > 0 && left > 0 ? TimeSpan.FromSeconds(left / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"GIFs {_gifs}/{_files}  runs {_done}/{_pending}  {rate:0.0} runs/s  ETA {eta}  failures {_failed}  stored {_committed}");
            if (_tty) _out.Write("\r" + line.PadRight(Math.Min(Console.BufferWidth > 0 ? Console.BufferWidth - 1 : 100, 120)) + (final ? "\n" : ""));
            else _out.WriteLine(line);
        }
    }

    public void Stop()
    {
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        Render(final: true);
        lock (_timer) _stopped = true;
    }

    public void Dispose()
    {
        if (!_stopped) Stop();
        _timer.Dispose();
    }
}
