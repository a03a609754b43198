using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GifLab.Tests.Report;

/// <summary>
/// Drives Debian's <c>chromium</c> headless over the Chrome DevTools Protocol (a WebSocket; no driver package): opens a
/// page, waits for its load event, evaluates a script in it, collects console errors and uncaught exceptions, and takes
/// a screenshot. <see cref="Find"/> returns null (with the reason) when no Chromium is installed.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<string> _errors = [];
    private readonly List<JsonObject> _events = [];
    private int _nextId;

    /// <summary>Console errors, uncaught exceptions and failed resource loads seen so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The Chromium executable on PATH, or null with the reason.</summary>
    public static string? Find(out string reason)
    {
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    reason = "";
                    return path;
                }
            }
        reason = "no chromium on PATH (Debian: apt-get install chromium; scripts/setup-deps.sh installs it)";
        return null;
    }

    public static async Task<HeadlessChromium> StartAsync(string executable, CancellationToken ct)
    {
        var profile = Path.Combine(Path.GetTempPath(), "giflab-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var psi = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                     "--hide-scrollbars", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--window-size=1300,900",
                     $"--user-data-dir={profile}", "about:blank",
                 })
            psi.ArgumentList.Add(arg);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            // Chromium writes the port it chose into DevToolsActivePort in the profile.
            var portFile = Path.Combine(profile, "DevToolsActivePort");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(portFile) || new FileInfo(portFile).Length == 0)
            {
                if (process.HasExited) throw new InvalidOperationException($"chromium exited with {process.ExitCode} before opening its DevTools port");
                if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("chromium did not open its DevTools port within 30 s");
                await Task.Delay(100, ct);
            }
            var port = int.Parse((await File.ReadAllLinesAsync(portFile, ct))[0], System.Globalization.CultureInfo.InvariantCulture);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", ct))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await browser._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), ct);
            await browser.SendAsync("Runtime.enable", null, ct);
            await browser.SendAsync("Log.enable", null, ct);
            await browser.SendAsync("Page.enable", null, ct);
            await browser.SendAsync("Network.enable", null, ct);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Navigates and waits for the load event (every image, stylesheet and frame loaded or failed).</summary>
    public async Task NavigateAsync(string url, CancellationToken ct)
    {
        _events.Clear();
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, ct);
        while (!_events.Any(e => (string?)e["method"] == "Page.loadEventFired"))
            _events.Add(await ReceiveAsync(ct));
    }

    /// <summary>Evaluates an expression returning a JSON-serialisable value (awaits promises).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true,
        }, ct);
        if (result["exceptionDetails"] is { } ex) throw new InvalidOperationException("page script failed: " + ex.ToJsonString());
        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>A PNG of the whole page (layout height), written to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path, CancellationToken ct)
    {
        var height = (int)(await EvaluateAsync("Math.ceil(document.documentElement.scrollHeight)", ct))!.GetValue<double>();
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = 1300, ["height"] = Math.Min(height, 16000), ["deviceScaleFactor"] = 1, ["mobile"] = false,
        }, ct);
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, ct);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)shot["data"]!), ct);
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters, CancellationToken ct)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
        while (true)
        {
            var reply = await ReceiveAsync(ct);
            if (reply["id"] is { } rid && (int)rid == id)
            {
                if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
                return reply["result"]?.AsObject() ?? new JsonObject();
            }
            _events.Add(reply);
        }
    }

    private async Task<JsonObject> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        using var ms = new MemoryStream();
        WebSocketReceiveResult r;
        do
        {
            r = await _socket.ReceiveAsync(buffer, ct);
            if (r.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("chromium closed the DevTools connection");
            ms.Write(buffer, 0, r.Count);
        }
        while (!r.EndOfMessage);
        var node = JsonNode.Parse(ms.ToArray())!.AsObject();
        Observe(node);
        return node;
    }

    private void Observe(JsonObject e)
    {
        switch ((string?)e["method"])
        {
            case "Runtime.consoleAPICalled" when (string?)e["params"]!["type"] is "error" or "assert":
                _errors.Add("console: " + e["params"]!["args"]!.ToJsonString());
                break;
            case "Runtime.exceptionThrown":
                _errors.Add("exception: " + e["params"]!["exceptionDetails"]!.ToJsonString());
                break;
            case "Log.entryAdded" when (string?)e["params"]!["entry"]!["level"] == "error":
                _errors.Add("log: " + (string?)e["params"]!["entry"]!["text"] + " " + (string?)e["params"]!["entry"]!["url"]);
                break;
            case "Network.loadingFailed":
                _errors.Add("load failed: " + e["params"]!.ToJsonString());
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { if (_socket.State == WebSocketState.Open) await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None); }
        catch (WebSocketException) { }
        _socket.Dispose();
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { Directory.Delete(_profile, recursive: true); }
        catch (IOException) { }
    }
}
