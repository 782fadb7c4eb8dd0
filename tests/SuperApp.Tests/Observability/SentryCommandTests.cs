namespace SuperApp.Tests.Observability;

/// <summary><c>superapp sentry test</c> run as an operator would: the built binary, in Production.</summary>
public sealed class SentryCommandTests
{
    private static Dictionary<string, string?> Environment(string? dsn) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DATABASE_URI"] = "Host=127.0.0.1;Port=1;Username=x;Timeout=2",
        ["JWT_SECRET"] = "production-jwt-secret-0123456789-abcdefgh",
        ["JWT_SECRET_PREVIOUS"] = null,
        ["REDIS_URL"] = null,
        ["SENTRY_DSN"] = dsn,
        ["Logging__File__Directory"] = Path.Combine(Path.GetTempPath(), "superapp-cli-logs", Guid.NewGuid().ToString("N")),
    };

    [Fact]
    public async Task Sentry_test_delivers_one_event_and_prints_its_id()
    {
        await using var receiver = await SentryReceiver.StartAsync();

        var (exit, output) = await ServiceProcess.RunAsync(["sentry", "test"], Environment(receiver.Dsn));

        Assert.True(exit == 0, output);
        var id = System.Text.RegularExpressions.Regex.Match(output, "Sent test event ([0-9a-f]{32})").Groups[1].Value;
        Assert.NotEmpty(id);
        var received = await receiver.WaitForAsync(e => e.Id == id);
        Assert.Equal("production", received.Event.GetProperty("environment").GetString()!.ToLowerInvariant());
        Assert.Single(receiver.Events);
    }

    [Fact]
    public async Task Sentry_test_without_a_dsn_says_so_and_fails()
    {
        var (exit, output) = await ServiceProcess.RunAsync(["sentry", "test"], Environment(null));

        Assert.Equal(1, exit);
        Assert.Contains("SENTRY_DSN is not set", output, StringComparison.Ordinal);
    }
}
