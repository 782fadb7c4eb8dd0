namespace SuperApp.Platform.Observability;

/// <summary>
/// Refreshes the gauges that need a query or a syscall (held top-ups, disk) on a timer, so a scrape
/// reads a number in memory and never holds a database connection.
/// </summary>
public sealed partial class ObservabilitySampler(
    IServiceScopeFactory scopes, AppMetrics metrics, IOptions<ObservabilityOptions> options, IConfiguration config, IHostEnvironment env,
    TimeProvider time, ILogger<ObservabilitySampler> logger) : BackgroundService
{
    // Plain SQL on the topups table, as the ledger verifier reads it: the platform does not depend on the Wallet feature.
    private const string HeldSql =
        "SELECT COUNT(*) AS \"Count\", COALESCE(SUM(amount), 0) AS \"Amount\", MIN(created_at) AS \"Oldest\" " +
        "FROM topups WHERE status IN ('held', 'refunding')";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var disk = DiskSpace.PathFor(options.Value, config, env);
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
        do
        {
            if (DiskSpace.Sample(disk) is { } sample)
            {
                metrics.Disk = sample;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var row = (await db.Database.SqlQueryRaw<HeldRow>(HeldSql).ToListAsync(stoppingToken)).Single();
                var age = row.Oldest is { } oldest ? Math.Max(0, (time.UtcNow() - oldest).TotalSeconds) : 0;
                metrics.Held = new HeldTopups(row.Count, row.Amount, age);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The schema may not be migrated yet, or the database is down (the health check says so); keep the last sample.
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private sealed record HeldRow(long Count, long Amount, DateTime? Oldest);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Held top-up sample failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
