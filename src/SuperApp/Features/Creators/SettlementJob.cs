using SuperApp.Platform.Jobs;

namespace SuperApp.Features.Creators;

/// <summary>
/// Settles pending earnings every <see cref="CreatorsOptions.SettlementInterval"/>. Every instance
/// may run it: <see cref="RevenueSettlement"/> serialises settlers per creator in the database.
/// </summary>
public sealed class SettlementJob(JobContext context, IOptions<CreatorsOptions> options, ILogger<SettlementJob> logger)
    : PeriodicJob(context, logger)
{
    protected override string Name => "settlement";

    protected override bool Enabled => options.Value.SettlementEnabled;

    protected override TimeSpan Interval => options.Value.SettlementInterval;

    protected override async Task<int> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var report = await services.GetRequiredService<RevenueSettlement>().RunOnceAsync(AuditContext.System, now, null, false, ct);
        return report.Paid;
    }
}
