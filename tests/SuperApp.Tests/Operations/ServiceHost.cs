using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SuperApp.Tests.Operations;

/// <summary>
/// The built service serving on a loopback port of its own, in Production, on a migrated database of
/// its own with one admin: the deployment smoke and loadtest are pointed at.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string AdminEmail = "ops-admin@example.com";
    public const string AdminPassword = "ops-admin-password-1";
    private readonly Process _process;

    private ServiceHost(Process process, string baseUrl, string database)
    {
        _process = process;
        BaseUrl = baseUrl;
        Database = database;
    }

    public string BaseUrl { get; }
    public string Database { get; }

    public static async Task<ServiceHost> StartAsync(string database, IDictionary<string, string?> environment)
    {
        var (exit, output) = await ServiceProcess.RunAsync(database, ["migrate"]);
        Assert.True(exit == 0, output);
        (exit, output) = await ServiceProcess.RunAsync(database, ["admin", "create", "--email", AdminEmail, "--password", AdminPassword]);
        Assert.True(exit == 0, output);

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true,
            RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "superapp.dll"));
        foreach (var inherited in new[] { "JWT_SECRET_PREVIOUS", "SOCKET_IO_SECRET_PREVIOUS", "DOTNET_ENVIRONMENT", "REDIS_URL", "PORT",
            "SENTRY_DSN" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DATABASE_URI"] = database;
        start.Environment["SOCKET_IO_SECRET"] = ServiceProcess.SocketSecret;
        start.Environment["JWT_SECRET"] = ServiceProcess.Secret;
        start.Environment["LOG_LEVEL"] = "warn";
        start.Environment["Logging__File__Directory"] = Path.Combine(Path.GetTempPath(), "superapp-cli-logs", Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new ServiceHost(process, $"http://127.0.0.1:{port}", database);

        // Ready when it answers; polling a socket, not waiting on the clock for a guess.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            Assert.False(process.HasExited, "the service exited during start-up");
            try
            {
                if ((await http.GetAsync(host.BaseUrl + "/api/health/live")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Yield();
        }

        await host.DisposeAsync();
        throw new TimeoutException("the service did not start answering within a minute");
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
