using SuperApp.Features.Realtime;
using SuperApp.Platform.Jobs;

namespace SuperApp.Features.Subscriptions;

/// <summary>The expiry job: marks subscriptions that will not renew expired once their time has run out.</summary>
public static class SubscriptionExpiry
{
    public static async Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<RealtimeOutbox>();
        // Auto-renewing ones are the renewal job's: it either renews them or expires them with a reason.
        var lapsed = await db.Subscriptions.Where(s => !s.AutoRenew && s.Status != SubscriptionStatus.Expired && s.ExpiresAt <= now)
            .OrderBy(s => s.ExpiresAt).Select(s => s.Id).Take(1000).ToListAsync(ct);
        var expired = 0;
        foreach (var id in lapsed)
        {
            // One conditional statement each, with its event: concurrent runs expire (and announce) a row once.
            expired += await db.RunAsync(async ct =>
            {
                if (await SubscriptionQueries.ExpireLapsedAsync(db.Subscriptions.Where(s => s.Id == id && !s.AutoRenew), now, ct) == 0)
                {
                    return 0;
                }

                SubscriptionEvents.Stage(outbox, db, await db.Subscriptions.AsNoTracking().FirstAsync(s => s.Id == id, ct),
                    SubscriptionEvents.Expired);
                return 1;
            }, ct);
        }

        return expired;
    }
}

/// <summary>The renewal job: charges due auto-renewing subscriptions (see <see cref="SubscriptionRenewals"/>).</summary>
public sealed class SubscriptionRenewalJob(JobContext context, IOptions<SubscriptionOptions> options,
    ILogger<SubscriptionRenewalJob> logger)
    : PeriodicJob(context, logger)
{
    protected override string Name => "subscription_renewal";

    protected override bool Enabled => options.Value.JobsEnabled;

    protected override TimeSpan Interval => options.Value.JobInterval;

    protected override async Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var run = await SubscriptionRenewals.RunOnceAsync(services, now, ct);
        return run.Renewed + run.Expired;
    }
}

/// <summary>The expiry job on a timer. Every instance may run it: each row is expired by one conditional statement.</summary>
public sealed class SubscriptionExpiryJob(JobContext context, IOptions<SubscriptionOptions> options, ILogger<SubscriptionExpiryJob> logger)
    : PeriodicJob(context, logger)
{
    protected override string Name => "subscription_expiry";

    protected override bool Enabled => options.Value.JobsEnabled;

    protected override TimeSpan Interval => options.Value.JobInterval;

    protected override Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct) =>
        SubscriptionExpiry.RunOnceAsync(services, now, ct);
}
