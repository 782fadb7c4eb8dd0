using SuperApp.Features.Ledger;

namespace SuperApp.Features.Creators;

/// <summary>
/// Reads a creator's earnings from the ledger, the one source of truth: every creator share (unlock,
/// subscription, gift) is a credit to their pending earnings account, every settlement a debit.
/// </summary>
public static class CreatorEarnings
{
    /// <summary>The creator's pending earnings accounts, one per shard (none before the first earning).</summary>
    public static Task<List<Guid>> AccountIdsAsync(AppDbContext db, Guid creatorId, CancellationToken ct) =>
        db.Accounts.Where(a => a.OwnerId == creatorId && a.Kind == AccountKind.EarningsPending).Select(a => a.Id).ToListAsync(ct);

    /// <summary>The pending accounts' entries with the kind of the transaction each belongs to.</summary>
    public static IQueryable<KindedEntry> Entries(AppDbContext db, List<Guid> accountIds) =>
        from e in db.LedgerEntries
        where accountIds.Contains(e.AccountId)
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
