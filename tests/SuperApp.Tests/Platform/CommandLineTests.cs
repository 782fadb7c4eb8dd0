using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using SuperApp.Features.Users;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Platform;

/// <summary>The built service run as an operator would run it: a separate process, in Production.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private const string Secret = "production-jwt-secret-0123456789-abcdefgh";
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=x;Timeout=2";
    private static readonly string[] SchemaTables = ["users", "refresh_tokens", "otp_challenges", "login_throttles",
        "__ef_migrations_history"];
    private static readonly string[] TopVerbs = ["migrate", "admin", "ledger"];
    private string _database = "";

    public async ValueTask InitializeAsync() => _database = await TestServers.CreatePostgresDatabaseAsync();

    public async ValueTask DisposeAsync() => await TestServers.DropPostgresDatabaseAsync(_database);

    [Fact]
    public async Task Migrate_creates_the_schema_and_rollback_undoes_only_the_newest_migration()
    {
        var (exit, output) = await RunAsync(_database, Secret, ["migrate"]);
        Assert.True(exit == 0, output);
        Assert.Contains("up to date", output, StringComparison.Ordinal);
        var tables = await TablesAsync();
        Assert.All(SchemaTables, t => Assert.Contains(t, tables));

        (exit, output) = await RunAsync(_database, Secret, ["migrate"]);
        Assert.True(exit == 0, output);

        var applied = await AppliedMigrationsAsync();
        (exit, output) = await RunAsync(_database, Secret, ["migrate", "--rollback"]);
        Assert.True(exit == 0, output);
        Assert.Equal(applied.SkipLast(1), await AppliedMigrationsAsync());
        Assert.Contains("users", await TablesAsync()); // earlier migrations stay applied

        (exit, output) = await RunAsync(_database, Secret, ["migrate"]);
        Assert.True(exit == 0, output);
        Assert.Equal(applied, await AppliedMigrationsAsync());
    }

    [Fact]
    public async Task Admin_create_makes_an_active_admin_with_that_password()
    {
        var url = PostgresUrl(_database);
        Assert.Equal(0, (await RunAsync(url, Secret, ["migrate"])).ExitCode);

        var (exit, output) = await RunAsync(url, Secret, ["admin", "create", "--email", "A@B.co", "--password", "longpassword"]);
        Assert.True(exit == 0, output);

        await using var conn = new NpgsqlConnection(_database);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT email, username, role, tier, status, password_hash FROM users", conn);
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(("a@b.co", "a", "admin", "admin", "active"),
            (row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4)));
        var user = new User { Email = "a@b.co", Username = "a", PasswordHash = row.GetString(5) };
        Assert.NotEqual(PasswordVerificationResult.Failed,
            new PasswordHasher<User>().VerifyHashedPassword(user, user.PasswordHash, "longpassword"));
        Assert.False(await row.ReadAsync());
    }

    [Fact]
    public async Task Verbs_explain_themselves_and_a_usage_error_exits_2()
    {
        var (exit, output) = await RunAsync(_database, Secret, ["--help"]);
        Assert.True(exit == 0, output);
        Assert.All(TopVerbs, verb => Assert.Contains(verb, output, StringComparison.Ordinal));

        (exit, output) = await RunAsync(_database, Secret, ["admin", "create", "--password", "longpassword"]);
        Assert.Equal(2, exit);
        Assert.Contains("--email", output, StringComparison.Ordinal);

        (exit, output) = await RunAsync(_database, Secret, ["migrate", "--sideways"]);
        Assert.Equal(2, exit);
        Assert.Contains("--sideways", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_create_refuses_a_short_password()
    {
        Assert.Equal(0, (await RunAsync(_database, Secret, ["migrate"])).ExitCode);

        var (exit, output) = await RunAsync(_database, Secret, ["admin", "create", "--email", "a@b.co", "--password", "short"]);

        Assert.NotEqual(0, exit);
        Assert.Contains("--password", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("0123456789")]
    public async Task Production_refuses_to_start_without_a_strong_jwt_secret(string? secret)
    {
        var (exit, output) = await RunAsync(Unreachable, secret, []);

        Assert.NotEqual(0, exit);
        Assert.Contains("JWT_SECRET", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_starts_with_a_strong_jwt_secret()
    {
        // The counterpart of the refusals above: the same start gets as far as serving.
        var (exit, output) = await RunAsync(Unreachable, Secret, [], untilOutput: "Application started");

        Assert.True(exit is null, output);
        Assert.DoesNotContain("JWT_SECRET", output, StringComparison.Ordinal);
    }

    private static string PostgresUrl(string connectionString)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{cs.Username}@{cs.Host}:{cs.Port}/{cs.Database}?sslmode=disable";
    }

    private async Task<List<string>> AppliedMigrationsAsync()
    {
        await using var conn = new NpgsqlConnection(_database);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT migration_id FROM __ef_migrations_history ORDER BY migration_id", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var conn = new NpgsqlConnection(_database);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>
    /// Runs <c>dotnet superapp.dll</c> and returns its exit code and output. With <paramref name="untilOutput"/>
    /// the process is stopped once that text appears (exit code null). The timeout only keeps a hung
    /// process from hanging the suite.
    /// </summary>
    private static async Task<(int? ExitCode, string Output)> RunAsync(string database, string? secret, string[] args,
        string? untilOutput = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true,
            RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "superapp.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var inherited in new[] { "JWT_SECRET", "JWT_SECRET_PREVIOUS", "DOTNET_ENVIRONMENT", "REDIS_URL", "PORT" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DATABASE_URI"] = database;
        start.Environment["SOCKET_IO_SECRET"] = "production-socket-secret-0123456789-abcdefgh";
        start.Environment["Logging__File__Directory"] = Path.Combine(Path.GetTempPath(), "superapp-cli-logs", Guid.NewGuid().ToString("N"));
        if (secret is not null)
        {
            start.Environment["JWT_SECRET"] = secret;
        }

        using var process = new Process { StartInfo = start };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var seen = new TaskCompletionSource();
        void Collect(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (untilOutput is not null && e.Data.Contains(untilOutput, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var exited = process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(exited, seen.Task);
        if (first == seen.Task || timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.False(timeout.IsCancellationRequested,
                $"superapp {string.Join(' ', args)} did not finish:\n{string.Join('\n', output)}");
            return (null, string.Join('\n', output));
        }

        await exited;
        process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, string.Join('\n', output));
    }
}
