namespace SuperApp.Features.Ledger;

/// <summary>A platform/creator split in basis points (1/100 of a percent); the two sum to 10,000.</summary>
public sealed class RevenueSplit
{
    public int PlatformBps { get; set; }
    public int CreatorBps { get; set; }
}

public sealed class AmountRange
{
    public long Min { get; set; }
    public long Max { get; set; }
}

public sealed class WithdrawalFee
{
    public long Fixed { get; set; } = 5_000;
    public int Bps { get; set; } = 200;
    public long Min { get; set; } = 5_000;
    public long Max { get; set; } = 2_500_000;
}

/// <summary>
/// Money rules: currency, revenue splits, fees and limits. All amounts are in minor units
/// (1/100 rupiah for IDR). Validated at start-up.
/// </summary>
public sealed class RevenueOptions
{
    public const string Section = "Revenue";

    public string Currency { get; set; } = "IDR";
    public Splits Splits { get; set; } = new();
    public Limits Limits { get; set; } = new();
    public WithdrawalFee WithdrawalFee { get; set; } = new();
    public TimeSpan HoldingPeriod { get; set; } = TimeSpan.FromDays(7);
}

public sealed class Splits
{
    public RevenueSplit Unlock { get; set; } = new() { PlatformBps = 3000, CreatorBps = 7000 };
    public RevenueSplit Subscription { get; set; } = new() { PlatformBps = 2000, CreatorBps = 8000 };
    public RevenueSplit Gift { get; set; } = new() { PlatformBps = 1000, CreatorBps = 9000 };
    public RevenueSplit LivestreamDonation { get; set; } = new() { PlatformBps = 1500, CreatorBps = 8500 };
}

public sealed class Limits
{
    public AmountRange ContentPrice { get; set; } = new() { Min = 500, Max = 100_000_000 };
    public AmountRange SubscriptionPrice { get; set; } = new() { Min = 1_000, Max = 50_000_000 };
    public AmountRange Gift { get; set; } = new() { Min = 100, Max = 100_000_000 };
    public AmountRange Topup { get; set; } = new() { Min = 10_000, Max = 100_000_000 };
    public AmountRange Withdrawal { get; set; } = new() { Min = 50_000, Max = 50_000_000 };
    public AmountRange Transfer { get; set; } = new() { Min = 1, Max = 100_000_000 };
    public long MaxWalletBalance { get; set; } = 1_000_000_000;
}

public sealed class RevenueOptionsValidator : IValidateOptions<RevenueOptions>
{
    public ValidateOptionsResult Validate(string? name, RevenueOptions o)
    {
        var errors = new List<string>();
        if (o.Currency is not { Length: 3 })
        {
            errors.Add("Revenue:Currency must be a 3-letter ISO code.");
        }

        foreach (var (label, split) in new[] { ("Unlock", o.Splits.Unlock), ("Subscription", o.Splits.Subscription),
            ("Gift", o.Splits.Gift), ("LivestreamDonation", o.Splits.LivestreamDonation) })
        {
            if (split.PlatformBps < 0 || split.CreatorBps < 0 || split.PlatformBps + split.CreatorBps != 10_000)
            {
                errors.Add($"Revenue:Splits:{label} must be non-negative and sum to 10000 bps.");
            }
        }

        foreach (var (label, range) in new[] { ("ContentPrice", o.Limits.ContentPrice), ("SubscriptionPrice", o.Limits.SubscriptionPrice),
            ("Gift", o.Limits.Gift), ("Topup", o.Limits.Topup), ("Withdrawal", o.Limits.Withdrawal),
                     ("Transfer", o.Limits.Transfer) })
        {
            if (range.Min <= 0 || range.Min > range.Max)
            {
                errors.Add($"Revenue:Limits:{label} needs 0 < Min <= Max.");
            }
        }

        var fee = o.WithdrawalFee;
        // With Bps below 100% the fee grows slower than the amount, so a fee below the smallest
        // withdrawal is below every larger one too: nobody can withdraw into a negative payout.
        if (fee.Fixed < 0 || fee.Bps is < 0 or >= 10_000 || fee.Min < 0 || fee.Min > fee.Max ||
            Money.WithdrawalFee(o.Limits.Withdrawal.Min, fee) >= o.Limits.Withdrawal.Min)
        {
            errors.Add("Revenue:WithdrawalFee needs 0 <= Min <= Max, 0 <= Bps < 10000, and a fee below the smallest withdrawal.");
        }

        if (o.Limits.MaxWalletBalance <= 0 || o.HoldingPeriod < TimeSpan.Zero)
        {
            errors.Add("Revenue:Limits:MaxWalletBalance must be positive and HoldingPeriod not negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
