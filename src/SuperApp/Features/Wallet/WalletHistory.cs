using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public sealed record Counterparty(Guid Id, string Username);

/// <summary>One line of a wallet statement, signed from the wallet owner's side.</summary>
public sealed record WalletTransaction(
    Guid Id, TransactionKind Kind, long Amount, long BalanceAfter, string Currency, Counterparty? Counterparty, string? Note,
        DateTime CreatedAt);

/// <summary>Turns a user's wallet entries into statement lines, with the other party named where there is one.</summary>
public static class WalletHistory
{
    public static async Task<List<WalletTransaction>> DescribeAsync(AppDbContext db, Guid userId, IReadOnlyList<LedgerEntry> entries,
        CancellationToken ct)
    {
        var ids = entries.Select(e => e.TransactionId).ToList();
        var transactions = await db.LedgerTransactions.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var others = await (
            from e in db.LedgerEntries
            join a in db.Accounts on e.AccountId equals a.Id
            join u in db.Users on a.OwnerId equals u.Id
            where ids.Contains(e.TransactionId) && a.OwnerId != userId
            select new { e.TransactionId, u.Id, u.Username }).ToListAsync(ct);
        var counterparties = others.GroupBy(o => o.TransactionId)
            .ToDictionary(g => g.Key, g => new Counterparty(g.First().Id, g.First().Username));

        return entries.Select(e =>
        {
            var t = transactions[e.TransactionId];
            return new WalletTransaction(t.Id, t.Kind, e.Amount, e.BalanceAfter, t.Currency,
                counterparties.GetValueOrDefault(t.Id), t.Note, t.CreatedAt);
        }).ToList();
    }

    /// <summary>
    /// One page of the statement of one of the user's accounts (a wallet, or a creator's pending
    /// earnings in all their shards), newest first, optionally of one kind.
    /// </summary>
    public static async Task<Page<WalletTransaction>> PageAsync(
        AppDbContext db, Guid userId, List<Guid> accountIds, TransactionKind? kind, int? limit, Guid? after, CancellationToken ct)
    {
        var entries = accountIds is [var one]
            ? db.LedgerEntries.Where(e => e.AccountId == one)
            : db.LedgerEntries.Where(e => accountIds.Contains(e.AccountId));
        if (kind is { } k)
        {
            entries = entries.Where(e => db.LedgerTransactions.Any(t => t.Id == e.TransactionId && t.Kind == k));
        }

        var page = await entries.ToPageAsync(after, limit, e => e, ct);
        var items = page.Items;
        if (accountIds.Count > 1 && items.Count > 0)
        {
            items = await AcrossShardsAsync(db, accountIds, items, ct);
        }

        return new Page<WalletTransaction>(await DescribeAsync(db, userId, items, ct), page.NextCursor);
    }

    /// <summary>
    /// An entry's balance-after is its own shard's; a statement shows the whole account's: the sum of
    /// every shard's entries up to and including that one, in entry order. Entries of one transaction
    /// on the same page become one line.
    /// </summary>
    private static async Task<IReadOnlyList<LedgerEntry>> AcrossShardsAsync(
        AppDbContext db, List<Guid> accountIds, IReadOnlyList<LedgerEntry> newestFirst, CancellationToken ct)
    {
        var (newest, oldest) = (newestFirst[0].Id, newestFirst[^1].Id);
        var total = await db.LedgerEntries.Where(e => accountIds.Contains(e.AccountId) && e.Id.CompareTo(newest) <= 0)
            .SumAsync(e => e.Amount, ct);
        var all = await db.LedgerEntries.AsNoTracking()
            .Where(e => accountIds.Contains(e.AccountId) && e.Id.CompareTo(newest) <= 0 && e.Id.CompareTo(oldest) >= 0)
            .OrderByDescending(e => e.Id).ToListAsync(ct);
        var running = new Dictionary<Guid, long>();
        foreach (var e in all)
        {
            running[e.Id] = total;
            total -= e.Amount;
        }

        // A transaction that moved several shards (a settlement) is one line, as it is one movement.
        return newestFirst.GroupBy(e => e.TransactionId).Select(g => new LedgerEntry
        {
            Id = g.First().Id, TransactionId = g.Key, AccountId = g.First().AccountId, Amount = g.Sum(e => e.Amount),
            BalanceAfter = running[g.First().Id], CreatedAt = g.First().CreatedAt,
        }).ToList();
    }

    public static Task<Guid?> WalletIdAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.Wallet).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
}
