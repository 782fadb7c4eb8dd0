using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SuperApp.Tests.Observability;

/// <summary>Processes the observability tests run: promtool, Prometheus, the built service.</summary>
internal static class Programs
{
    /// <summary>The repository's <c>ops</c> folder, found by walking up from the test binaries.</summary>
    public static string Ops
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var ops = Path.Combine(dir.FullName, "ops");
                if (File.Exists(Path.Combine(ops, "prometheus", "alerts.yml")))
                {
                    return ops;
                }
            }

            throw new InvalidOperationException("ops/prometheus/alerts.yml not found above " + AppContext.BaseDirectory);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command to its end (bounded) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args,
        string? workingDirectory = null)
    {
        using var process = Start(file, args, new Dictionary<string, string?>(), workingDirectory, out var output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish:\n{string.Join('\n', output)}");
        }

        process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, string.Join('\n', output));
    }

    /// <summary>Starts a process with its output collected into <paramref name="output"/>.</summary>
    public static Process Start(
        string file, IEnumerable<string> args, IDictionary<string, string?> env, string? workingDirectory,
        out ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var lines = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = lines;
        return process;
    }

    public static string Which(string command) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{command} is not installed (./test.sh installs the Debian package prometheus)");
}
