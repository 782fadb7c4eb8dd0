namespace SuperApp.Features.Realtime;

/// <summary>
/// Deletes durable events older than <see cref="RealtimeOptions.EventRetention"/>. Safe on N
/// instances: deleting what another instance already deleted deletes nothing. The per-user
/// counters stay, so seqs never restart and a client that was away too long is told to resync.
/// </summary>
public sealed partial class EventRetentionJob(IServiceScopeFactory scopes, IOptions<RealtimeOptions> options, TimeProvider time,
    ILogger<EventRetentionJob> logger) : BackgroundService
{
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var before = time.UtcNow() - options.Value.EventRetention;
        return await db.Set<RealtimeEvent>().Where(e => e.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = await PurgeAsync(stoppingToken);
                LogPurged(logger, purged);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPurgeFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged {Count} realtime events past retention")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The realtime event purge failed; it runs again at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
