namespace SuperApp.Features.Ledger;

/// <summary>Integer money arithmetic. No floating point: amounts are minor units.</summary>
public static class Money
{
    /// <summary>
    /// Platform fee = floor(amount × bps / 10000); the creator gets the remainder, so the two
    /// always add up to the price exactly.
    /// </summary>
    public static (long Platform, long Creator) Share(long amount, RevenueSplit split)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var platform = (long)((Int128)amount * split.PlatformBps / 10_000);
        return (platform, amount - platform);
    }

    /// <summary>Fixed part plus a percentage, clamped to [Min, Max].</summary>
    public static long WithdrawalFee(long amount, WithdrawalFee fee)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var raw = fee.Fixed + (long)((Int128)amount * fee.Bps / 10_000);
        return Math.Clamp(raw, fee.Min, fee.Max);
    }
}
