namespace SuperApp.Features.Ledger;

/// <summary>How the ledger spreads its shared rows.</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>
    /// Rows each system account (platform revenue, external funding, …) is split into. Every
    /// transaction posts to one picked at random, so concurrent purchases rarely meet on a row; the
    /// account's balance is the sum of its shards. Raising it is safe at any time (new shards are
    /// created on first use); lowering it leaves the higher shards' balances where they are.
    /// </summary>
    [Range(1, 1024)]
    public int SystemAccountShards { get; set; } = 32;

    /// <summary>
    /// Rows each creator's pending earnings are split into, for the same reason: a live stream's
    /// gifts all credit one creator. Every view and settlement sums them. Safe to change at any time.
    /// </summary>
    [Range(1, 64)]
    public int EarningsShards { get; set; } = 32;
}
