using SuperApp.Features.Ledger;

namespace SuperApp.Features.Refunds;

/// <summary>
/// A purchase as its ledger transaction recorded it: who paid, which creator's earnings took their
/// share, and where the rest went. Read from the entries, never recomputed from today's splits,
/// which may have changed since.
/// </summary>
public sealed record Purchase(
    LedgerTransaction Transaction, Guid BuyerId, Guid? CreatorId, long CreatorShare, IReadOnlyList<Posting> OtherCredits)
{
    public static string RefundReference(Guid originalTransactionId) => $"refund:{originalTransactionId}";

    /// <summary>The transaction with its entries, each named by account; null when there is no such transaction.</summary>
    public static async Task<(LedgerTransaction Transaction, List<(Posting Entry, LedgerEntry Row)> Entries)?> LoadAsync(
        AppDbContext db, Guid id, CancellationToken ct)
    {
        var tx = await db.LedgerTransactions.AsNoTracking().Include(t => t.Entries).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (tx is null)
        {
            return null;
        }

        var accountIds = tx.Entries.Select(e => e.AccountId).ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => new AccountRef(a.OwnerId, a.Kind, a.Shard), ct);
        var entries = tx.Entries.OrderBy(e => e.Id).Select(e => (new Posting(accounts[e.AccountId], e.Amount), e)).ToList();
        return (tx, entries);
    }

    /// <summary>
    /// Reads a purchase's parties from its entries: the one debited wallet is the buyer, the credited
    /// earnings account the creator, every other credit (the platform fee) goes back where it went.
    /// Null when the entries do not look like a purchase.
    /// </summary>
    public static Purchase? From(LedgerTransaction tx, IEnumerable<Posting> entries)
    {
        var list = entries.ToList();
        var debits = list.Where(e => e.Amount < 0).ToList();
        if (debits is not [{ Account.Kind: AccountKind.Wallet } buyer] || -buyer.Amount != tx.Amount)
        {
            return null;
        }

        var earnings = list.Where(e => e.Amount > 0 && e.Account.Kind == AccountKind.EarningsPending).ToList();
        if (earnings.Count > 1)
        {
            return null;
        }

        var creator = earnings.SingleOrDefault();
        var others = list.Where(e => e.Amount > 0 && e != creator).ToList();
        return new Purchase(tx, buyer.Account.OwnerId, creator?.Account.OwnerId, creator?.Amount ?? 0, others);
    }
}
