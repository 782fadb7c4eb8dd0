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
    /// every shard's entries up to and including that one, in entry order. A transaction that moved
    /// several shards (a settlement, a refund) is one line, at its newest entry, with its whole amount,
    /// whichever page its other entries fall on; so a page can hold fewer lines than its limit.
    /// </summary>
    private static async Task<IReadOnlyList<LedgerEntry>> AcrossShardsAsync(
        AppDbContext db, List<Guid> accountIds, IReadOnlyList<LedgerEntry> page, CancellationToken ct)
    {
        var transactionIds = page.Select(e => e.TransactionId).Distinct().ToList();
        var moved = (await db.LedgerEntries.AsNoTracking()
                .Where(e => transactionIds.Contains(e.TransactionId) && accountIds.Contains(e.AccountId)).ToListAsync(ct))
            .GroupBy(e => e.TransactionId).ToDictionary(g => g.Key, g => (Newest: g.Max(e => e.Id), Amount: g.Sum(e => e.Amount)));
        var lines = page.Where(e => e.Id == moved[e.TransactionId].Newest).ToList();
        if (lines.Count == 0)
        {
            return lines;
        }

        var (newest, oldest) = (lines[0].Id, lines[^1].Id);
        // A sum, not each shard's newest balance-after: entry ids are taken before the row lock, so on
        // one shard a later commit can carry a smaller id, and only the sum is exact in id order.
        var total = await db.LedgerEntries.Where(e => accountIds.Contains(e.AccountId) && e.Id.CompareTo(newest) <= 0)
            .SumAsync(e => e.Amount, ct);
        var between = await db.LedgerEntries.AsNoTracking()
            .Where(e => accountIds.Contains(e.AccountId) && e.Id.CompareTo(newest) <= 0 && e.Id.CompareTo(oldest) >= 0)
            .OrderByDescending(e => e.Id).ToListAsync(ct);
        var after = new Dictionary<Guid, long>();
        foreach (var e in between)
        {
            after[e.Id] = total;
            total -= e.Amount;
        }

        return lines.Select(e => new LedgerEntry
        {
            Id = e.Id, TransactionId = e.TransactionId, AccountId = e.AccountId, Amount = moved[e.TransactionId].Amount,
            BalanceAfter = after[e.Id], CreatedAt = e.CreatedAt,
        }).ToList();
    }

    public static Task<Guid?> WalletIdAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.Wallet).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
}
