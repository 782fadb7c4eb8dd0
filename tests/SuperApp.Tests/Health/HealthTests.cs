using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Health;

public abstract class HealthTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task The_summary_reports_version_uptime_and_a_timed_database_check()
    {
        var response = await app.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", body.GetProperty("version").GetString());
        Assert.True(body.GetProperty("uptimeSeconds").GetInt64() >= 0);
        var database = Health.Check(body, "database");
        Assert.Equal("healthy", database.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, database.GetProperty("latencyMs").ValueKind);
        Assert.Equal(app.Provider.ToString().ToLowerInvariant(), database.GetProperty("description").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/api/health/live")]
    [InlineData("/api/health/ready")]
    public async Task Liveness_and_readiness_are_ok(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await response.JsonAsync()).GetProperty("status").GetString());
    }
}

public sealed class HealthTestsOnPostgres(App<Postgres, Defaults> app) : HealthTests<App<Postgres, Defaults>>(app);

public sealed class HealthTestsOnSqlite(App<Sqlite, Defaults> app) : HealthTests<App<Sqlite, Defaults>>(app);

/// <summary>The service configured for a PostgreSQL server that is not there.</summary>
public sealed class UnreachableDatabaseSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.UseExistingDatabase("Host=127.0.0.1;Port=1;Username=x;Timeout=2");
        app.Settings["Database:AutoMigrate"] = "false";
    }
}

public sealed class DatabaseDownTests(App<Postgres, UnreachableDatabaseSettings> app)
    : IClassFixture<App<Postgres, UnreachableDatabaseSettings>>
{
    [Theory]
    [InlineData("/api/health")]
    [InlineData("/api/health/ready")]
    public async Task Summary_and_readiness_are_unavailable_with_the_database_unhealthy(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("unhealthy", Health.Check(body, "database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Liveness_does_not_depend_on_the_database()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_request_that_needs_the_database_is_a_dependency_problem_without_internals()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = "someone", password = "whatever-1" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        var text = problem.Body.GetRawText();
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A reachable, empty database the service was told not to migrate (as in Production).</summary>
public sealed class UnmigratedSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["Database:AutoMigrate"] = "false";
    }
}

public sealed class PendingMigrationsTests(App<Postgres, UnmigratedSettings> app) : IClassFixture<App<Postgres, UnmigratedSettings>>
{
    [Fact]
    public async Task Readiness_is_unavailable_while_migrations_are_pending()
    {
        var response = await app.CreateClient().GetAsync("/api/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("healthy", Health.Check(body, "database").GetProperty("status").GetString());
        var migrations = Health.Check(body, "migrations");
        Assert.Equal("unhealthy", migrations.GetProperty("status").GetString());
        Assert.Contains("pending", migrations.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/health/live")).StatusCode);
    }
}

internal static class Health
{
    public static JsonElement Check(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
