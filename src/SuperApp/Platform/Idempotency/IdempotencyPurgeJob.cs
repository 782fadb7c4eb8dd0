using SuperApp.Platform.Jobs;

namespace SuperApp.Platform.Idempotency;

/// <summary>Deletes keys past their retention, so they may be used again and the table stays small.</summary>
public sealed class IdempotencyPurgeJob(JobContext context, IOptions<IdempotencyOptions> options, ILogger<IdempotencyPurgeJob> logger)
    : PeriodicJob(context, logger)
{
    protected override string Name => "idempotency_purge";

    protected override bool Enabled => true;

    protected override TimeSpan Interval => options.Value.PurgeInterval;

    protected override Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct) =>
        services.GetRequiredService<IdempotencyStore>().PurgeExpiredAsync(ct);
}
