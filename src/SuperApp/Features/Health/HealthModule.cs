using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SuperApp.Features.Health;

public static class HealthModule
{
    private const string Ready = "ready";
    private static readonly string Version =
        typeof(HealthModule).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? "0.0.0";

    public static IServiceCollection AddHealthFeature(this IServiceCollection services, IConfiguration config)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [Ready])
            .AddCheck<DiskSpaceHealthCheck>("disk", HealthStatus.Degraded);
        if (!string.IsNullOrWhiteSpace(config["REDIS_URL"]))
        {
            checks.AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(2));
        }

        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/api/health").WithTags("Health").AllowAnonymous();
        health.MapHealthChecks("", new HealthCheckOptions { ResponseWriter = WriteAsync });
        health.MapHealthChecks("/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        health.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        var uptime = DateTime.UtcNow - Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            version = Version,
            uptimeSeconds = (long)uptime.TotalSeconds,
            totalMs = Math.Round(report.TotalDuration.TotalMilliseconds, 2),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString().ToLowerInvariant(),
                latencyMs = Math.Round(e.Value.Duration.TotalMilliseconds, 2),
                description = e.Value.Description,
            }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
