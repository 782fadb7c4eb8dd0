using System.Collections.Concurrent;
using System.Diagnostics;

namespace SuperApp.Tests.Operations;

/// <summary>The built service run as an operator runs its verbs: a separate process, in Production, against a given database.</summary>
public static class ServiceProcess
{
    public const string Secret = "production-jwt-secret-0123456789-abcdefgh";
    public const string SocketSecret = "ops-test-socket-secret-0123456789-abcdefghij";

    public static async Task<(int ExitCode, string Output)> RunAsync(string database, string[] args,
        IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true,
            RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "superapp.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var inherited in new[] { "JWT_SECRET", "JWT_SECRET_PREVIOUS", "SOCKET_IO_SECRET", "SOCKET_IO_SECRET_PREVIOUS",
            "DOTNET_ENVIRONMENT", "REDIS_URL", "PORT", "SENTRY_DSN" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DATABASE_URI"] = database;
        start.Environment["JWT_SECRET"] = Secret;
        start.Environment["SOCKET_IO_SECRET"] = SocketSecret;
        start.Environment["Logging__File__Directory"] = Path.Combine(Path.GetTempPath(), "superapp-cli-logs", Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
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

        using var process = new Process { StartInfo = start };
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Only keeps a hung process from hanging the suite.
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"superapp {string.Join(' ', args)} did not finish:\n{string.Join('\n', output)}");
        }

        process.WaitForExit();
        return (process.ExitCode, string.Join('\n', output));
    }
}
