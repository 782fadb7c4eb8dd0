using Microsoft.Extensions.Options;
using SuperApp.Platform.Audit;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Creators;

/// <summary>
/// Settles pending earnings every <see cref="CreatorsOptions.SettlementInterval"/>. Every instance
/// may run it: <see cref="RevenueSettlement"/> serialises settlers per creator in the database.
/// </summary>
public sealed partial class SettlementJob(
    IServiceScopeFactory scopes, IOptions<CreatorsOptions> options, TimeProvider time, AppMetrics metrics, ILogger<SettlementJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SettlementEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SettlementInterval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var settlement = scope.ServiceProvider.GetRequiredService<RevenueSettlement>();
                var report = await settlement.RunOnceAsync(AuditContext.System, time.GetUtcNow().UtcDateTime, null, false, stoppingToken);
                if (report.Items.Count > 0)
                {
                    LogSettled(logger, report.TotalAmount, report.Paid, report.Refused);
                }

                metrics.JobRan("settlement", failed: false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Earnings stay pending and the next run settles them; nothing is lost by waiting.
                LogFailed(logger, e);
                metrics.JobRan("settlement", failed: true);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Settled {Amount} for {Creators} creators ({Refused} refused)")]
    private static partial void LogSettled(ILogger logger, long amount, int creators, int refused);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settlement run failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
