using System.Globalization;
using System.Text;
using Npgsql;
using SuperApp.Platform.Idempotency;
using SuperApp.Platform.RateLimiting;
using SuperApp.Platform.Redis;

namespace SuperApp.Features.Operations;

/// <summary>
/// <c>preflight</c>: the checklist's §2 (environment) and §3 (application configuration) as checks
/// on this process's own configuration, each with the value it saw. Secrets are judged by length
/// and equality only; their values are never printed. Raw configuration is read rather than the
/// validated options, so a setting start-up would refuse is reported instead of crashing the verb.
/// </summary>
public static class Preflight
{
    public static async Task<OpsReport> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var config = services.GetRequiredService<IConfiguration>();
        var env = services.GetRequiredService<IHostEnvironment>();
        var report = new OpsReport("preflight");

        report.Add(OpsCheck.Of("environment", env.IsProduction(), env.EnvironmentName,
            "Set ASPNETCORE_ENVIRONMENT=Production (the checklist's NODE_ENV=production)."));
        Secrets(report, config, "JWT_SECRET", "JWT_SECRET_PREVIOUS", required: true);
        Secrets(report, config, "SOCKET_IO_SECRET", "SOCKET_IO_SECRET_PREVIOUS", required: true);
        await DatabaseAsync(report, services, ct);
        await RedisAsync(report, config, ct);
        Sentry(report, config["SENTRY_DSN"]);
        report.Add(OpsCheck.Pass("PORT", config["PORT"] is { Length: > 0 } port ? port : "5000 (default)"));
        var level = (config["LOG_LEVEL"] ?? "info").ToLowerInvariant();
        report.Add(level switch
        {
            "info" or "information" => OpsCheck.Pass("LOG_LEVEL", level),
            "warn" or "warning" or "error" or "debug" or "trace" => OpsCheck.Warn("LOG_LEVEL", level,
                "The checklist asks for info in production."),
            _ => OpsCheck.Fail("LOG_LEVEL", level, "Not a level: trace, debug, info, warn or error."),
        });
        RateLimits(report, services.GetRequiredService<IOptions<RateLimitOptions>>().Value, config);
        Idempotency(report, services.GetRequiredService<IOptions<IdempotencyOptions>>().Value);
        Http(report, services.GetRequiredService<IOptions<HttpOptions>>().Value, config);
        return report;
    }

    private static void Secrets(OpsReport report, IConfiguration config, string current, string previous, bool required)
    {
        var value = config[current];
        var bytes = value is null ? 0 : Encoding.UTF8.GetByteCount(value);
        if (string.IsNullOrEmpty(value))
        {
            report.Add(required
                ? OpsCheck.Fail(current, "not set", "Set it to a random value of at least 32 bytes (e.g. openssl rand -base64 48).")
                : OpsCheck.Warn(current, "not set",
                    "Needed once real-time messaging is deployed; set a random value of at least 32 bytes."));
        }
        else
        {
            report.Add(OpsCheck.Of(current, bytes >= 32, $"set, {bytes} bytes", "At least 32 bytes are required."));
        }

        var old = config[previous];
        if (string.IsNullOrEmpty(old))
        {
            report.Add(OpsCheck.Warn(previous, "not set", "Set it to the value being rotated out, while tokens signed with it live."));
        }
        else if (old == value)
        {
            report.Add(OpsCheck.Fail(previous, "same as current", "The previous secret must differ from the current one."));
        }
        else
        {
            var oldBytes = Encoding.UTF8.GetByteCount(old);
            report.Add(OpsCheck.Of(previous, oldBytes >= 32, $"set, {oldBytes} bytes, differs from current",
                "At least 32 bytes are required."));
        }
    }

    private static async Task DatabaseAsync(OpsReport report, IServiceProvider services, CancellationToken ct)
    {
        var target = services.GetRequiredService<DatabaseTarget>();
        var where = target.Provider == DatabaseProvider.Postgres
            ? Describe(new NpgsqlConnectionStringBuilder(target.ConnectionString))
            : "SQLite " + new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        report.Add(target.Provider == DatabaseProvider.Postgres
            ? OpsCheck.Pass("DATABASE_URI", where)
            : OpsCheck.Warn("DATABASE_URI", where, "Embedded SQLite serves one instance; production runs on PostgreSQL."));
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var pending = (await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetPendingMigrationsAsync(db.Database,
                ct))
                .ToList();
            var applied = (await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetAppliedMigrationsAsync(db.Database,
                ct))
                .LastOrDefault();
            report.Add(OpsCheck.Pass("database reachable", where));
            report.Add(OpsCheck.Of("database migrated", pending.Count == 0, pending.Count == 0 ? applied
                ?? "(none)" : $"{pending.Count} pending",
                "Run `superapp migrate` (Production never migrates on its own)."));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            report.Add(OpsCheck.Fail("database reachable", where, e.Message));
        }
    }

    private static string Describe(NpgsqlConnectionStringBuilder cs) =>
        $"PostgreSQL {cs.Host}:{cs.Port}/{cs.Database} as {cs.Username}, ssl {cs.SslMode.ToString().ToLowerInvariant()}";

    private static async Task RedisAsync(OpsReport report, IConfiguration config, CancellationToken ct)
    {
        if (config["REDIS_URL"] is not { Length: > 0 } url)
        {
            report.Add(OpsCheck.Warn("REDIS_URL", "not set",
                "Rate limits are per instance: fine for one instance, not behind a load balancer."));
            return;
        }

        var options = RedisModule.Parse(url);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 3000;
        var endpoint = string.Join(",", options.EndPoints.Select(e => e.ToString()));
        try
        {
            await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options);
            var server = redis.GetServer(redis.GetEndPoints()[0]);
            var latency = await redis.GetDatabase().PingAsync();
            report.Add(OpsCheck.Pass("REDIS_URL", $"{endpoint}, Redis {server.Version}, ping {latency.TotalMilliseconds:0.0} ms"));
            report.Figures["redisVersion"] = server.Version.ToString();
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            report.Add(OpsCheck.Fail("REDIS_URL", endpoint + " unreachable", e.Message.Split('\n')[0]));
        }

        ct.ThrowIfCancellationRequested();
    }

    /// <summary>A DSN is https://PUBLIC_KEY@HOST/PROJECT_ID; only the host and project are shown.</summary>
    private static void Sentry(OpsReport report, string? dsn)
    {
        if (string.IsNullOrEmpty(dsn))
        {
            report.Add(OpsCheck.Warn("SENTRY_DSN", "not set", "Errors are only in the logs; the checklist asks for error tracking."));
            return;
        }

        var ok = Uri.TryCreate(dsn, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.UserInfo.Length > 0 &&
                 long.TryParse(uri.AbsolutePath.Trim('/').Split('/')[^1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
        report.Add(OpsCheck.Of("SENTRY_DSN", ok, ok ? $"{uri!.Host}, project {uri.AbsolutePath.Trim('/').Split('/')[^1]}" : "malformed",
            "Expected https://<public key>@<host>/<project id>."));
    }

    private static void RateLimits(OpsReport report, RateLimitOptions o, IConfiguration config)
    {
        report.Add(OpsCheck.Of("RATE_LIMIT_ENABLED", o.Enabled, o.Enabled ? "true" : "false", "The checklist requires rate limiting on."));
        var tiers = string.Join(", ", o.Tiers.OrderBy(t => t.Value == 0 ? int.MaxValue : t.Value)
            .Select(t => $"{t.Key} {(t.Value == 0 ? "unlimited" : t.Value.ToString(CultureInfo.InvariantCulture))}"));
        var standard = o.Tiers.GetValueOrDefault("free") == 10 && o.Tiers.GetValueOrDefault("premium") == 100 &&
                       o.Tiers.GetValueOrDefault("creator") == 500 && o.Tiers.GetValueOrDefault("admin") == 0;
        report.Add(standard
            ? OpsCheck.Pass("tier limits", $"{tiers} per {o.Window.TotalMinutes:0} min")
            : OpsCheck.Warn("tier limits", $"{tiers} per {o.Window.TotalMinutes:0} min",
                "Differs from the checklist's 10/100/500/unlimited."));
        report.Add(config["REDIS_URL"] is { Length: > 0 }
            ? OpsCheck.Pass("rate limit store", "redis (shared by all instances)")
            : OpsCheck.Warn("rate limit store", "memory (single instance only)"));
        report.Add(o.Disabled.Count == 0
            ? OpsCheck.Pass("limited routes", "/api/wallet, /api/premium, /api/subscription, /api/gift")
            : OpsCheck.Warn("limited routes", "switched off for " + string.Join(", ", o.Disabled)));
    }

    private static void Idempotency(OpsReport report, IdempotencyOptions o)
    {
        report.Add(OpsCheck.Of("IDEMPOTENCY_ENABLED", o.Enabled, o.Enabled ? "true" : "false", "The checklist requires idempotency on."));
        report.Add(o.Ttl == TimeSpan.FromHours(24)
            ? OpsCheck.Pass("idempotency TTL", "24 h, in the main database")
            : OpsCheck.Warn("idempotency TTL", $"{o.Ttl.TotalHours:0.#} h", "The checklist asks for 24 hours."));
    }

    private static void Http(OpsReport report, HttpOptions o, IConfiguration config)
    {
        var urls = config["ASPNETCORE_URLS"] ?? config["urls"] ?? "";
        var https = urls.Contains("https://", StringComparison.OrdinalIgnoreCase);
        if (o.KnownProxies.Count > 0)
        {
            report.Add(OpsCheck.Pass("HTTPS / proxies", $"TLS at proxies {string.Join(", ", o.KnownProxies)}"));
        }
        else if (https)
        {
            report.Add(OpsCheck.Pass("HTTPS / proxies", "HTTPS served directly: " + urls));
        }
        else
        {
            report.Add(OpsCheck.Fail("HTTPS / proxies", "plain HTTP, no known proxy",
                "Terminate TLS at a proxy and list it in Http:KnownProxies, or serve https:// in ASPNETCORE_URLS."));
        }
    }
}
