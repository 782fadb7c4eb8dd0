using System.Diagnostics.Metrics;

namespace SuperApp.Platform.Observability;

/// <summary>The service's own counters (meter "SuperApp"), exported with the framework's by OpenTelemetry.</summary>
public sealed class AppMetrics
{
    public const string MeterName = "SuperApp";

    public AppMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        IdempotencyReplays = meter.CreateCounter<long>("superapp.idempotency.replays", description: "Stored responses replayed for a repeated Idempotency-Key");
        IdempotencyConflicts = meter.CreateCounter<long>("superapp.idempotency.conflicts", description: "Requests refused because the same key was in flight");
        IdempotencyMismatches = meter.CreateCounter<long>("superapp.idempotency.mismatches", description: "Keys reused with a different request");
        RateLimitRejections = meter.CreateCounter<long>("superapp.ratelimit.rejections", description: "Requests answered 429, tagged by tier or policy");
        RateLimitFallbacks = meter.CreateCounter<long>("superapp.ratelimit.store_fallbacks", description: "Limiter decisions taken locally because Redis was unavailable");
    }

    public Counter<long> IdempotencyReplays { get; }
    public Counter<long> IdempotencyConflicts { get; }
    public Counter<long> IdempotencyMismatches { get; }
    public Counter<long> RateLimitRejections { get; }
    public Counter<long> RateLimitFallbacks { get; }
}
