using System.Diagnostics.Metrics;

namespace SuperApp.Platform.Observability;

/// <summary>
/// The service's own instruments, all on the one meter <c>superapp</c> (DESIGN §10), exported with the
/// framework's by OpenTelemetry. Prometheus names are these with dots as underscores and a unit or
/// <c>_total</c> suffix, e.g. <c>superapp_ledger_postings_total</c>. Gauges read from the database are
/// fed by <see cref="ObservabilitySampler"/>, so a scrape never waits on a query.
/// </summary>
public sealed class AppMetrics
{
    public const string MeterName = "superapp";

    private readonly Counter<long> _postings;
    private readonly Counter<long> _postedAmount;
    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _jobRuns;
    private readonly Counter<long> _jobFailures;
    private readonly Counter<long> _logEvents;
    private (bool Ok, DateTimeOffset At)? _ledgerVerify;

    public AppMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        IdempotencyReplays = meter.CreateCounter<long>("superapp.idempotency.replays",
            description: "Stored responses replayed for a repeated Idempotency-Key");
        IdempotencyConflicts = meter.CreateCounter<long>("superapp.idempotency.conflicts",
            description: "Requests refused because the same key was in flight");
        IdempotencyMismatches = meter.CreateCounter<long>("superapp.idempotency.mismatches",
            description: "Keys reused with a different request");
        IdempotencyFirstUses = meter.CreateCounter<long>("superapp.idempotency.first_uses",
            description: "Keys seen for the first time (the hit rate's denominator with replays)");
        RateLimitRejections = meter.CreateCounter<long>("superapp.ratelimit.rejections",
            description: "Requests answered 429, tagged by tier and route");
        RateLimitFallbacks = meter.CreateCounter<long>("superapp.ratelimit.store_fallbacks",
            description: "Limiter decisions taken locally because Redis was unavailable");
        _postings = meter.CreateCounter<long>("superapp.ledger.postings", description: "Ledger transactions posted, by kind");
        _postedAmount = meter.CreateCounter<long>("superapp.ledger.amount", unit: "{minor_unit}",
            description: "Money moved by ledger transactions, by kind");
        _webhooks = meter.CreateCounter<long>("superapp.webhooks", description: "Payment webhooks received, by provider and outcome");
        _jobRuns = meter.CreateCounter<long>("superapp.job.runs", description: "Background job runs, by job");
        _jobFailures = meter.CreateCounter<long>("superapp.job.failures", description: "Background job runs that failed, by job");
        _logEvents = meter.CreateCounter<long>("superapp.log.events", description: "Log events written, by level");
        meter.CreateObservableGauge("superapp.topups.held", () => Held.Count,
            description: "Top-ups held or refunding (money in suspense)");
        meter.CreateObservableGauge("superapp.topups.held_amount", () => Held.Amount, unit: "{minor_unit}",
            description: "Money held in suspense");
        meter.CreateObservableGauge("superapp.topups.oldest_held_age", () => Held.OldestAgeSeconds, unit: "s",
            description: "Age of the oldest held top-up, 0 when none");
        meter.CreateObservableGauge("superapp.ledger.verify.ok", () => ReadLedgerVerify(),
            description: "Last ledger verification: 1 all invariants hold, 0 broken");
        meter.CreateObservableGauge("superapp.ledger.verify.last_run", () => ReadLedgerVerifyTime(), unit: "s",
            description: "Unix time of the last ledger verification");
        meter.CreateObservableGauge("superapp.health.status", () => HealthStatus,
            description: "Last health report: 1 healthy, 0.5 degraded, 0 unhealthy");
        meter.CreateObservableGauge("superapp.disk.available", () => Disk.Available, unit: "By",
            description: "Free bytes on the data and log volume");
        meter.CreateObservableGauge("superapp.disk.size", () => Disk.Size, unit: "By", description: "Size of the data and log volume");
        meter.CreateObservableGauge("superapp.memory.limit", () => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, unit: "By",
            description: "Memory the process may use (the container limit, else physical memory)");
        meter.CreateObservableGauge("superapp.outbox.lag", ReadOutboxLag, unit: "s",
            description: "Longest time a durable real-time event waited between its commit and its push, since the last scrape");
    }

    private long _outboxLagTicks;

    /// <summary>A durable event was pushed this long after it was written; the gauge reports the longest since it was last read.</summary>
    public void OutboxPushed(TimeSpan lag)
    {
        var ticks = lag.Ticks;
        for (var seen = Interlocked.Read(ref _outboxLagTicks); ticks > seen; seen = Interlocked.Read(ref _outboxLagTicks))
        {
            if (Interlocked.CompareExchange(ref _outboxLagTicks, ticks, seen) == seen)
            {
                break;
            }
        }
    }

    private double ReadOutboxLag() => TimeSpan.FromTicks(Interlocked.Exchange(ref _outboxLagTicks, 0)).TotalSeconds;

    public Counter<long> IdempotencyReplays { get; }
    public Counter<long> IdempotencyConflicts { get; }
    public Counter<long> IdempotencyMismatches { get; }
    public Counter<long> IdempotencyFirstUses { get; }
    public Counter<long> RateLimitRejections { get; }
    public Counter<long> RateLimitFallbacks { get; }

    /// <summary>Last sample of held top-ups (the sampler replaces it whole, so readers never see half an update).</summary>
    public HeldTopups Held { get; set; } = new(0, 0, 0);

    public double HealthStatus { get; set; } = 1;

    public DiskSample Disk { get; set; } = new(0, 0);

    public void Posted(string kind, long amount)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        _postings.Add(1, tag);
        _postedAmount.Add(amount, tag);
    }

    public void RateLimited(string tier, string route) =>
        RateLimitRejections.Add(1, new KeyValuePair<string, object?>("tier", tier), new KeyValuePair<string, object?>("route", route));

    public void Webhook(string provider, string outcome) =>
        _webhooks.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));

    public void JobRan(string job, bool failed)
    {
        var tag = new KeyValuePair<string, object?>("job", job);
        _jobRuns.Add(1, tag);
        if (failed)
        {
            _jobFailures.Add(1, tag);
        }
    }

    public void LedgerVerified(bool ok, DateTimeOffset at) => _ledgerVerify = (ok, at);

    // No sample before the first run: the alert must not read a verdict that was never given.
    private IEnumerable<Measurement<int>> ReadLedgerVerify() =>
        _ledgerVerify is { } last ? [new Measurement<int>(last.Ok ? 1 : 0)] : [];

    private IEnumerable<Measurement<long>> ReadLedgerVerifyTime() =>
        _ledgerVerify is { } last ? [new Measurement<long>(last.At.ToUnixTimeSeconds())] : [];

    public void LogEvent(string level) => _logEvents.Add(1, new KeyValuePair<string, object?>("level", level));
}

public sealed record HeldTopups(long Count, long Amount, double OldestAgeSeconds);

public sealed record DiskSample(long Available, long Size);

/// <summary>For jobs that hold the service provider rather than their dependencies.</summary>
public static class JobMetrics
{
    public static void Ran(this IServiceProvider services, string job, bool failed) =>
        services.GetService<AppMetrics>()?.JobRan(job, failed);
}
