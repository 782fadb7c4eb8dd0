using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Ledger;

/// <summary>
/// Runs the ledger invariants on a timer (<c>Observability:LedgerVerifyInterval</c>, default hourly,
/// 00:00:00 turns it off) and publishes the outcome as <c>superapp_ledger_verify_ok</c>, so a broken
/// invariant pages someone instead of waiting for an operator to run <c>superapp ledger verify</c>.
/// </summary>
public sealed partial class LedgerVerifyJob(
    IServiceScopeFactory scopes, IOptions<ObservabilityOptions> options, AppMetrics metrics, TimeProvider time,
    ILogger<LedgerVerifyJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.LedgerVerifyInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var report = await LedgerVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), stoppingToken);
                metrics.LedgerVerified(report.Ok, time.GetUtcNow());
                metrics.JobRan("ledger_verify", failed: false);
                if (!report.Ok)
                {
                    LogBroken(logger, report.UnbalancedTransactions.Count, report.AccountsNotMatchingEntries.Count,
                        report.NegativeWallets.Count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not a verdict on the books: the gauge keeps its last value and the job failure counter says why it is stale.
                metrics.JobRan("ledger_verify", failed: true);
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Ledger invariants broken: {Unbalanced} unbalanced transactions, {Mismatched} accounts off their entries, "
            + "{Negative} negative wallets")]
    private static partial void LogBroken(ILogger logger, int unbalanced, int mismatched, int negative);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger verification could not run")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
