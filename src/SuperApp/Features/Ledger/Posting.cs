namespace SuperApp.Features.Ledger;

/// <summary>
/// An account named by owner, kind and shard; wallets need no lookup to be posted to. A system
/// account or a creator's pending earnings named without a shard (<see cref="AnyShard"/>) is posted
/// to whichever shard the ledger picks for the transaction; money taken back out names its shard.
/// </summary>
public sealed record AccountRef(Guid OwnerId, AccountKind Kind, int Shard = 0)
{
    public const int AnyShard = -1;

    public static AccountRef Wallet(Guid userId) => new(userId, AccountKind.Wallet);
    public static AccountRef Earnings(Guid userId, int shard = AnyShard) => new(userId, AccountKind.EarningsPending, shard);
    public static AccountRef System(AccountKind kind, int shard = AnyShard) => new(SystemAccounts.Owner, kind, shard);

    public bool IsUserAccount => Kind is AccountKind.Wallet or AccountKind.EarningsPending;

    public bool IsSystemAccount => OwnerId == SystemAccounts.Owner;

    /// <summary>
    /// The one order every transaction locks accounts in, so none can wait on another in a cycle:
    /// users' accounts by owner and kind, then system accounts by kind and shard. System rows come
    /// last because they are shared by many transactions: locked last, they are held for the least time.
    /// </summary>
    public static IOrderedEnumerable<T> InLockOrder<T>(IEnumerable<T> items, Func<T, AccountRef> account) =>
        items.OrderBy(i => account(i).IsSystemAccount).ThenBy(i => account(i).OwnerId).ThenBy(i => account(i).Kind)
            .ThenBy(i => account(i).Shard);
}

/// <summary>A signed change to one account: negative debits, positive credits.</summary>
public sealed record Posting(AccountRef Account, long Amount);

/// <summary>What to post. The postings must sum to zero.</summary>
public sealed record PostingRequest(TransactionKind Kind, long Amount, IReadOnlyList<Posting> Postings)
{
    public string? Note { get; init; }
    public string? Reference { get; init; }
    /// <summary>
    /// Money going back where it came from (a rejected withdrawal, a refund): its credits land even on
    /// a frozen account or above the wallet cap, because a freeze stops money leaving, not returning.
    /// Debits are never exempt.
    /// </summary>
    public bool ReturnsFunds { get; init; }

    /// <summary>
    /// Applies to frozen accounts too. Only for money the outside world takes back without the holder
    /// acting (a provider's chargeback): a freeze stops the holder moving money, not the provider
    /// reclaiming it. Never set for anything a user or admin initiates. Balance rules still hold.
    /// </summary>
    public bool BypassFreeze { get; init; }

    /// <summary>The common case: one account pays another.</summary>
    public static PostingRequest Move(TransactionKind kind, AccountRef from, AccountRef to, long amount) =>
        new(kind, amount, [new Posting(from, -amount), new Posting(to, amount)]);

    /// <summary>
    /// A purchase (unlock, gift, subscription): the buyer's wallet pays the price, shared between the
    /// creator's pending earnings and the platform by <paramref name="split"/> (see <see cref="Money.Share"/>).
    /// <paramref name="earningsShard"/> names the creator's shard when the purchase keeps other rows in the same one.
    /// </summary>
    public static PostingRequest Split(TransactionKind kind, Guid buyerId, Guid creatorId, long price, RevenueSplit split,
        int earningsShard = AccountRef.AnyShard)
    {
        var (platformFee, creatorShare) = Money.Share(price, split);
        var postings = new List<Posting> { new(AccountRef.Wallet(buyerId), -price) };
        // The ledger refuses zero-amount entries; a split can round a share to nothing.
        if (creatorShare > 0)
        {
            postings.Add(new Posting(AccountRef.Earnings(creatorId, earningsShard), creatorShare));
        }

        if (platformFee > 0)
        {
            postings.Add(new Posting(AccountRef.System(AccountKind.PlatformRevenue), platformFee));
        }

        return new PostingRequest(kind, price, postings);
    }
}

/// <summary>The committed-to-be transaction and each account's balance after it.</summary>
public sealed record PostedTransaction(LedgerTransaction Transaction, IReadOnlyDictionary<AccountRef, long> BalancesAfter);
