using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Operations;

/// <summary>preflight run as the built binary in Production; secrets are judged, never printed.</summary>
public sealed class PreflightTests : IAsyncLifetime
{
    private const string Socket = "socket-secret-0123456789-abcdefghijklmnop";
    private const string PreviousJwt = "previous-jwt-secret-0123456789-abcdefghij";
    private string _database = "";

    public async ValueTask InitializeAsync()
    {
        _database = await TestServers.CreatePostgresDatabaseAsync();
        var (exit, output) = await ServiceProcess.RunAsync(_database, ["migrate"]);
        Assert.True(exit == 0, output);
    }

    public async ValueTask DisposeAsync() => await TestServers.DropPostgresDatabaseAsync(_database);

    private static Dictionary<string, string?> Production() => new()
    {
        ["JWT_SECRET_PREVIOUS"] = PreviousJwt,
        ["SOCKET_IO_SECRET"] = Socket,
        ["SOCKET_IO_SECRET_PREVIOUS"] = Socket + "-old",
        ["REDIS_URL"] = TestServers.Redis,
        ["SENTRY_DSN"] = "https://0123456789abcdef@o1.ingest.example.com/4242",
        ["Http__KnownProxies__0"] = "10.0.0.1",
        ["LOG_LEVEL"] = "info",
    };

    [Fact]
    public async Task A_production_configuration_passes_and_no_secret_is_printed()
    {
        var (exit, output) = await ServiceProcess.RunAsync(_database, ["preflight"], Production());

        Assert.True(exit == 0, output);
        Assert.Matches(@"REDIS_URL\s*│\s*PASS\s*│[^│]*Redis \d+\.\d+", output);
        Assert.Matches(@"database migrated\s*│\s*PASS", output);
        Assert.Contains("o1.ingest.example.com, project 4242", output, StringComparison.Ordinal);
        Assert.DoesNotContain(ServiceProcess.Secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Socket, output, StringComparison.Ordinal);
        Assert.DoesNotContain(PreviousJwt, output, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_jwt_secret_fails()
    {
        var settings = Production();
        settings["JWT_SECRET"] = "too-short-secret";

        var (exit, output) = await ServiceProcess.RunAsync(_database, ["preflight", "--json"], settings);

        Assert.Equal(1, exit);
        Assert.Contains("\"value\": \"set, 16 bytes\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short-secret", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limits_off_a_reused_previous_secret_plain_http_and_a_missing_socket_secret_fail()
    {
        var settings = Production();
        settings["JWT_SECRET_PREVIOUS"] = ServiceProcess.Secret;
        settings["RATE_LIMIT_ENABLED"] = "false";
        settings["Http__KnownProxies__0"] = null;
        settings["SOCKET_IO_SECRET"] = null;
        settings["SOCKET_IO_SECRET_PREVIOUS"] = null;
        settings["SENTRY_DSN"] = "not a dsn";

        var (exit, output) = await ServiceProcess.RunAsync(_database, ["preflight"], settings);

        Assert.Equal(1, exit);
        Assert.Matches(@"JWT_SECRET_PREVIOUS\s*│\s*FAIL\s*│\s*same as current", output);
        Assert.Matches(@"RATE_LIMIT_ENABLED\s*│\s*FAIL", output);
        Assert.Matches(@"HTTPS / proxies\s*│\s*FAIL", output);
        Assert.Matches(@"SOCKET_IO_SECRET\s*│\s*FAIL\s*│\s*not set", output);
        Assert.Matches(@"SENTRY_DSN\s*│\s*FAIL\s*│\s*malformed", output);
    }
}
