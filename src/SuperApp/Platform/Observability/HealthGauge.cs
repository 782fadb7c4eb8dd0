using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SuperApp.Platform.Observability;

/// <summary>
/// Publishes the periodic health report as <c>superapp_health_status</c>, so "health check fails"
/// is an alert in Prometheus even while the process still answers scrapes.
/// </summary>
public sealed class HealthGauge(AppMetrics metrics) : IHealthCheckPublisher
{
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        metrics.HealthStatus = report.Status switch
        {
            HealthStatus.Healthy => 1,
            HealthStatus.Degraded => 0.5,
            _ => 0,
        };
        return Task.CompletedTask;
    }
}
