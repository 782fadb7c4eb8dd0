using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SuperApp.Features.Health;

public sealed class DatabaseHealthCheck(AppDbContext db, DatabaseTarget target) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            return await db.Database.CanConnectAsync(ct)
                ? HealthCheckResult.Healthy(target.Provider.ToString().ToLowerInvariant())
                : HealthCheckResult.Unhealthy($"{target.Provider} is unreachable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{target.Provider} is unreachable");
        }
    }
}

/// <summary>Not ready while the schema is behind the code (Production does not migrate on start).</summary>
public sealed class MigrationsHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("schema up to date")
                : HealthCheckResult.Unhealthy($"{pending.Count} pending migration(s): {string.Join(", ", pending)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("cannot read the migration history");
        }
    }
}
