using SuperApp.Features.Ledger;

namespace SuperApp.Tests.Ledger;

public sealed class MoneyTests
{
    private static readonly RevenueOptions Defaults = new();

    [Theory]
    [InlineData(1L)]
    [InlineData(3L)]
    [InlineData(7L)]
    [InlineData(999L)]
    [InlineData(10_001L)]
    [InlineData(33_333L)]
    [InlineData(99_999_999L)]
    [InlineData(long.MaxValue / 2)]
    public void Splits_always_add_up_to_the_price(long amount)
    {
        foreach (var split in new[] { Defaults.Splits.Unlock, Defaults.Splits.Subscription, Defaults.Splits.Gift,
            Defaults.Splits.LivestreamDonation })
        {
            var (platform, creator) = Money.Share(amount, split);
            Assert.Equal(amount, platform + creator);
            Assert.True(platform >= 0 && creator >= 0);
        }
    }

    [Fact]
    public void Platform_fee_is_floored_and_the_creator_gets_the_remainder()
    {
        Assert.Equal((2, 5), Money.Share(7, Defaults.Splits.Unlock));     // 7 × 30% = 2.1 → 2
        Assert.Equal((29_999, 70_000), Money.Share(99_999, Defaults.Splits.Unlock));
        Assert.Equal((0, 9), Money.Share(9, Defaults.Splits.Gift));       // 0.9 → 0
        Assert.Equal((20_000, 80_000), Money.Share(100_000, Defaults.Splits.Subscription));
    }

    [Theory]
    [InlineData(50_000L, 6_000L)]          // 5,000 + 2% of 50,000
    [InlineData(1_000_000L, 25_000L)]
    [InlineData(0L, 5_000L)]               // clamped up to the minimum
    [InlineData(50_000_000L, 1_005_000L)]
    [InlineData(200_000_000L, 2_500_000L)] // clamped down to the maximum
    public void Withdrawal_fee_is_fixed_plus_percentage_clamped(long amount, long fee) =>
        Assert.Equal(fee, Money.WithdrawalFee(amount, Defaults.WithdrawalFee));

    [Fact]
    public void Default_revenue_options_are_valid()
    {
        Assert.True(new RevenueOptionsValidator().Validate(null, new RevenueOptions()).Succeeded);
    }

    [Fact]
    public void Splits_that_do_not_sum_to_100_percent_are_refused()
    {
        var o = new RevenueOptions();
        o.Splits.Gift.PlatformBps = 1500;
        var result = new RevenueOptionsValidator().Validate(null, o);
        Assert.True(result.Failed);
        Assert.Contains("Splits:Gift", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_with_min_above_max_are_refused()
    {
        var o = new RevenueOptions();
        o.Limits.Topup.Min = o.Limits.Topup.Max + 1;
        Assert.Contains("Limits:Topup", new RevenueOptionsValidator().Validate(null, o).FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fee_that_could_eat_a_whole_withdrawal_is_refused()
    {
        var o = new RevenueOptions();
        o.WithdrawalFee.Fixed = 60_000;
        Assert.True(new RevenueOptionsValidator().Validate(null, o).Failed);
    }
}
