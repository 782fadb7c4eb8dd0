using Microsoft.Extensions.Options;
using SuperApp.Platform.Observability;

namespace SuperApp.Platform.Idempotency;

/// <summary>Deletes keys past their retention, so they may be used again and the table stays small.</summary>
public sealed partial class IdempotencyPurgeJob(
    IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider time, AppMetrics metrics,
    ILogger<IdempotencyPurgeJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var purged = await scope.ServiceProvider.GetRequiredService<IdempotencyStore>().PurgeExpiredAsync(stoppingToken);
                if (purged > 0)
                {
                    LogPurged(logger, purged);
                }

                metrics.JobRan("idempotency_purge", failed: false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A missed purge only delays reuse of old keys; try again next tick.
                LogFailed(logger, e);
                metrics.JobRan("idempotency_purge", failed: true);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency purge failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
