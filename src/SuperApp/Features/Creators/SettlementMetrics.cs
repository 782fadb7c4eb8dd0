using System.Diagnostics.Metrics;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Creators;

/// <summary>Settlement counters on the service's meter, so operators see money leaving the holding period.</summary>
public sealed class SettlementMetrics
{
    public const string RunsName = "superapp.settlement.runs";
    public const string AmountName = "superapp.settlement.amount";

    private readonly Counter<long> _runs;
    private readonly Counter<long> _amount;
    private readonly Counter<long> _creators;
    private readonly Counter<long> _failures;

    public SettlementMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AppMetrics.MeterName);
        _runs = meter.CreateCounter<long>(RunsName, description: "Settlement runs completed (job or admin)");
        _amount = meter.CreateCounter<long>(AmountName, unit: "{minor_unit}",
            description: "Earnings moved from pending to creators' wallets");
        _creators = meter.CreateCounter<long>("superapp.settlement.creators", description: "Creators paid by settlement runs");
        _failures = meter.CreateCounter<long>("superapp.settlement.failures",
            description: "Creators whose settlement was refused (frozen or full wallet)");
    }

    public void Record(long amount, int creators, int failures)
    {
        _amount.Add(amount);
        _creators.Add(creators);
        _failures.Add(failures);
        _runs.Add(1);
    }
}
