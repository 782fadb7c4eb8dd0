using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SuperApp.Platform.Jobs;

/// <summary>
/// A background job that runs once at start and then every <see cref="Interval"/>, each run in a DI
/// scope of its own. A failed run is logged and counted and the next tick tries again: jobs claim their
/// rows atomically, so nothing is lost by waiting, and every instance may run every job at once.
/// Runs, failures and durations are counted by job name on the <c>superapp</c> meter.
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
        var tag = new KeyValuePair<string, object?>("job", Name);
        var started = Stopwatch.GetTimestamp();
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
            context.Failures.Add(1, tag);
            LogFailed(logger, Name, e);
        }
        finally
        {
            context.Runs.Add(1, tag);
            context.Durations.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} changed {Count} rows")]
    private static partial void LogChanged(ILogger logger, string job, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed; the next run tries again")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}

/// <summary>What every job needs from the host: scopes, the clock, and the job instruments (one set for all jobs).</summary>
public sealed class JobContext(IServiceScopeFactory scopes, TimeProvider time, IMeterFactory meters)
{
    private readonly Meter _meter = meters.Create("superapp");

    public IServiceScopeFactory Scopes { get; } = scopes;
    public TimeProvider Time { get; } = time;

    public Counter<long> Runs => _runs ??= _meter.CreateCounter<long>("superapp.job.runs", description: "Background job runs, by job");

    public Counter<long> Failures => _failures ??= _meter.CreateCounter<long>("superapp.job.failures", description: "Failed job runs, by job");

    public Histogram<double> Durations => _durations ??= _meter.CreateHistogram<double>("superapp.job.duration", unit: "s",
        description: "Background job run time, by job");

    private Counter<long>? _runs;
    private Counter<long>? _failures;
    private Histogram<double>? _durations;
}
