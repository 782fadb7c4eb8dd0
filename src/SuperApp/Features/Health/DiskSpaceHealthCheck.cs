using Microsoft.Extensions.Diagnostics.HealthChecks;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Health;

/// <summary>
/// Degraded (still serving) when the volume holding logs and any SQLite file runs low: a full disk
/// stops logging first and then an embedded database, so operators need to hear about it before.
/// </summary>
public sealed class DiskSpaceHealthCheck(IOptions<ObservabilityOptions> options, IConfiguration config,
    IHostEnvironment env) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var o = options.Value;
        if (DiskSpace.Sample(DiskSpace.PathFor(o, config, env)) is not { Size: > 0 } disk)
        {
            return Task.FromResult(HealthCheckResult.Degraded("disk space cannot be read"));
        }

        var free = (double)disk.Available / disk.Size;
        var description = $"{free:P0} free ({disk.Available / (1024 * 1024)} MiB)";
        return Task.FromResult(free < o.DiskMinFreeRatio
            ? HealthCheckResult.Degraded($"{description}, below {o.DiskMinFreeRatio:P0}")
            : HealthCheckResult.Healthy(description));
    }
}
