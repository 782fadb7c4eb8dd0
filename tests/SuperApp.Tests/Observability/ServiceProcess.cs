using System.Collections.Concurrent;
using System.Diagnostics;

namespace SuperApp.Tests.Observability;

/// <summary>The built service (<c>dotnet superapp.dll</c>) as a separate process.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServiceProcess(Process process, ConcurrentQueue<string> output) => (_process, _output) = (process, output);

    public string Output => string.Join('\n', _output);

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "superapp.dll");

    /// <summary>Runs a verb to its end.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] args, IDictionary<string, string?> env)
    {
        await using var service = Start(args, env);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await service._process.WaitForExitAsync(timeout.Token);
        service._process.WaitForExit();
        return (service._process.ExitCode, service.Output);
    }

    /// <summary>Starts the service and waits (bounded) until <paramref name="readyUrl"/> answers 200.</summary>
    public static Task<ServiceProcess> ServeAsync(IDictionary<string, string?> env, string readyUrl) => WaitReadyAsync(Start([], env),
        readyUrl);

    /// <summary>Starts another server (Prometheus) the same way.</summary>
    public static Task<ServiceProcess> ServeAsync(string file, string[] args, string readyUrl)
    {
        var process = Programs.Start(file, args, new Dictionary<string, string?>(), AppContext.BaseDirectory, out var output);
        return WaitReadyAsync(new ServiceProcess(process, output), readyUrl);
    }

    private static async Task<ServiceProcess> WaitReadyAsync(ServiceProcess service, string readyUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline && !service._process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(readyUrl)).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        var output = service.Output;
        await service.DisposeAsync();
        throw new InvalidOperationException($"the service did not become ready:\n{output}");
    }

    private static ServiceProcess Start(string[] args, IDictionary<string, string?> env)
    {
        var process = Programs.Start("dotnet", [Dll, .. args], env, AppContext.BaseDirectory, out var output);
        return new ServiceProcess(process, output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
