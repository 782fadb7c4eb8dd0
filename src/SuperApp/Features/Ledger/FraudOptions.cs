namespace SuperApp.Features.Ledger;

public sealed class VelocityLimit
{
    public int PerMinute { get; set; }
    public int PerHour { get; set; }
}

/// <summary>Spending guards: how fast a user may buy, and how much a day by tier (minor units, 0 = no limit).</summary>
public sealed class FraudOptions
{
    public const string Section = "Fraud";

    /// <summary>Successful purchases per user, by transaction kind (e.g. <c>unlock</c>).</summary>
    public Dictionary<string, VelocityLimit> Velocity { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["unlock"] = new() { PerMinute = 10, PerHour = 60 },
    };

    public Dictionary<string, long> DailySpendLimit { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["free"] = 10_000_000,
        ["premium"] = 100_000_000,
        ["creator"] = 500_000_000,
        ["admin"] = 0,
    };
}
