using SuperApp.Platform.Jobs;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Ledger;

/// <summary>
/// Checks the ledger invariants every <see cref="ObservabilityOptions.LedgerVerifyInterval"/> (0 turns it off)
/// and publishes the verdict as <c>superapp_ledger_verify_ok</c>, which the "ledger verify failing" alert reads.
/// </summary>
public sealed partial class LedgerVerifyJob(
    JobContext context, IOptions<ObservabilityOptions> options, AppMetrics metrics, TimeProvider time, ILogger<LedgerVerifyJob> logger)
    : PeriodicJob(context, logger)
{
    private readonly ILogger _logger = logger;

    protected override string Name => "ledger_verify";

    protected override bool Enabled => options.Value.LedgerVerifyInterval > TimeSpan.Zero;

    protected override TimeSpan Interval => options.Value.LedgerVerifyInterval;

    /// <summary>A failed run is not a verdict on the books: the gauge keeps its last value and the job failure counter says why.</summary>
    protected override async Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var report = await LedgerVerifier.VerifyAsync(services.GetRequiredService<AppDbContext>(), ct);
        metrics.LedgerVerified(report.Ok, time.GetUtcNow());
        if (!report.Ok)
        {
            LogBroken(_logger, report.UnbalancedTransactions.Count, report.AccountsNotMatchingEntries.Count, report.NegativeWallets.Count);
        }

        return 0;
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Ledger invariants broken: {Unbalanced} unbalanced transactions, {Mismatched} accounts off their entries, "
            + "{Negative} negative wallets")]
    private static partial void LogBroken(ILogger logger, int unbalanced, int mismatched, int negative);
}
