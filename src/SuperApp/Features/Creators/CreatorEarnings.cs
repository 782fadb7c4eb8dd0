using SuperApp.Features.Ledger;

namespace SuperApp.Features.Creators;

/// <summary>
/// Reads a creator's earnings from the ledger, the one source of truth: every creator share (unlock,
/// subscription, gift) is a credit to their pending earnings account, every settlement a debit.
/// </summary>
public static class CreatorEarnings
{
    public static Task<Guid?> AccountIdAsync(AppDbContext db, Guid creatorId, CancellationToken ct) =>
        db.Accounts.Where(a => a.OwnerId == creatorId && a.Kind == AccountKind.EarningsPending).Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(ct);

    /// <summary>The pending account's entries with the kind of the transaction each belongs to.</summary>
    public static IQueryable<KindedEntry> Entries(AppDbContext db, Guid accountId) =>
        from e in db.LedgerEntries
        where e.AccountId == accountId
        join t in db.LedgerTransactions on e.TransactionId equals t.Id
        select new KindedEntry { Kind = t.Kind, Amount = e.Amount, CreatedAt = e.CreatedAt };
}

/// <summary>A class with init properties, not a positional record, so queries can keep composing on it.</summary>
public sealed class KindedEntry
{
    public TransactionKind Kind { get; init; }
    public long Amount { get; init; }
    public DateTime CreatedAt { get; init; }
}
