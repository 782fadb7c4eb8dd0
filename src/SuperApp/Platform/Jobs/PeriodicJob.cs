using SuperApp.Platform.Observability;

namespace SuperApp.Platform.Jobs;

/// <summary>
/// A background job that runs once at start and then every <see cref="Interval"/>, each run in a DI
/// scope of its own. A failed run is logged and counted and the next tick tries again: jobs claim their
/// rows atomically, so nothing is lost by waiting, and every instance may run every job at once.
/// Runs and failures are counted by job name on the <c>superapp</c> meter.
/// </summary>
public abstract partial class PeriodicJob(JobContext context, ILogger logger) : BackgroundService
{
    /// <summary>The job's name in logs and metrics.</summary>
    protected virtual string Name => GetType().Name;

    protected abstract bool Enabled { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>One run; returns how many rows it changed (0 writes no log line).</summary>
    protected abstract Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, context.Time);
        do
        {
            await RunAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var failed = false;
        try
        {
            await using var scope = context.Scopes.CreateAsyncScope();
            var changed = await RunOnceAsync(scope.ServiceProvider, context.Time.UtcNow(), ct);
            if (changed > 0)
            {
                LogChanged(logger, Name, changed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failed = true;
            LogFailed(logger, Name, e);
        }
        finally
        {
            context.Metrics.JobRan(Name, failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} changed {Count} rows")]
    private static partial void LogChanged(ILogger logger, string job, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed; the next run tries again")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}

/// <summary>What every job needs from the host: scopes, the clock and the service's meter.</summary>
public sealed class JobContext(IServiceScopeFactory scopes, TimeProvider time, AppMetrics metrics)
{
    public IServiceScopeFactory Scopes { get; } = scopes;
    public TimeProvider Time { get; } = time;
    public AppMetrics Metrics { get; } = metrics;
}
