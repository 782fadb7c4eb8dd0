using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace SuperApp.Features.Health;

/// <summary>Redis only shares limits and real-time fan-out; without it the service still serves, so it degrades.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "redis is unreachable");
        }
    }
}
