using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Subscriptions;

/// <summary>The expiry job: marks subscriptions that will not renew expired once their time has run out.</summary>
public static class SubscriptionExpiry
{
    public static async Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Auto-renewing ones are the renewal job's: it either renews them or expires them with a reason.
        return await SubscriptionQueries.ExpireLapsedAsync(db.Subscriptions.Where(s => !s.AutoRenew), now, ct);
    }
}

/// <summary>Runs a subscription job on a timer. Every instance may run it: the jobs claim each row atomically.</summary>
public abstract partial class SubscriptionJob(IServiceProvider services, IOptions<SubscriptionOptions> options, TimeProvider time, ILogger logger)
    : BackgroundService
{
    protected abstract Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.JobsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.JobInterval, time);
        do
        {
            try
            {
                var changed = await RunOnceAsync(services, time.GetUtcNow().UtcDateTime, stoppingToken);
                if (changed > 0)
                {
                    LogChanged(logger, GetType().Name, changed);
                }

                services.Ran(GetType().Name, failed: false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is lost: due rows stay due and are picked up on the next tick.
                LogFailed(logger, GetType().Name, e);
                services.Ran(GetType().Name, failed: true);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} changed {Count} subscriptions")]
    private static partial void LogChanged(ILogger logger, string job, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}

public sealed class SubscriptionRenewalJob(IServiceProvider services, IOptions<SubscriptionOptions> options, TimeProvider time, ILogger<SubscriptionRenewalJob> logger)
    : SubscriptionJob(services, options, time, logger)
{
    protected override async Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var run = await SubscriptionRenewals.RunOnceAsync(services, now, ct);
        return run.Renewed + run.Expired;
    }
}

public sealed class SubscriptionExpiryJob(IServiceProvider services, IOptions<SubscriptionOptions> options, TimeProvider time, ILogger<SubscriptionExpiryJob> logger)
    : SubscriptionJob(services, options, time, logger)
{
    protected override Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct) =>
        SubscriptionExpiry.RunOnceAsync(services, now, ct);
}
