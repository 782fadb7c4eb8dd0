namespace SuperApp.Features.Ledger;

/// <summary>
/// The ledger's invariants, with up to ten offenders of each: the four of the books themselves, and
/// the two that tie them to top-ups (suspense holds exactly the held top-ups' money; no top-up the
/// provider paid, i.e. with a <c>topup:{id}</c> posting, is left pending, failed or cancelled).
/// </summary>
public sealed record LedgerReport(
    bool Ok,
    int Transactions,
    int Accounts,
    long BalanceTotal,
    IReadOnlyList<Guid> UnbalancedTransactions,
    IReadOnlyList<Guid> AccountsNotMatchingEntries,
    IReadOnlyList<Guid> NegativeWallets,
    long SuspenseBalance,
    long HeldTopupsTotal,
    IReadOnlyList<Guid> PaidTopupsNotSettled);

public static class LedgerVerifier
{
    public static async Task<LedgerReport> VerifyAsync(AppDbContext db, CancellationToken ct)
    {
        var unbalanced = await db.LedgerEntries.GroupBy(e => e.TransactionId)
            .Where(g => g.Sum(e => e.Amount) != 0).Select(g => g.Key).OrderBy(id => id).Take(10).ToListAsync(ct);

        var mismatched = await db.Accounts
            .Where(a => a.Balance != (db.LedgerEntries.Where(e => e.AccountId == a.Id).Sum(e => (long?)e.Amount) ?? 0))
            .Select(a => a.Id).OrderBy(id => id).Take(10).ToListAsync(ct);

        var negative = await db.Accounts.Where(a => a.Kind == AccountKind.Wallet && a.Balance < 0)
            .Select(a => a.Id).OrderBy(id => id).Take(10).ToListAsync(ct);

        var total = await db.Accounts.SumAsync(a => a.Balance, ct);
        var transactions = await db.LedgerTransactions.CountAsync(ct);
        var accounts = await db.Accounts.CountAsync(ct);

        // Summed over every suspense account, so it stays right once system accounts are sharded.
        var suspense = await db.Accounts.Where(a => a.Kind == AccountKind.Suspense).SumAsync(a => a.Balance, ct);
        var (held, unsettled) = await TopupChecksAsync(db, ct);

        var ok = unbalanced.Count == 0 && mismatched.Count == 0 && negative.Count == 0 && total == 0 &&
                 suspense == held && unsettled.Count == 0;
        return new LedgerReport(ok, transactions, accounts, total, unbalanced, mismatched, negative, suspense, held, unsettled);
    }

    /// <summary>
    /// Plain SQL on the topups table rather than the Wallet feature's types, so the ledger does not
    /// depend on them; the statuses are the stored spellings. GUIDs are text in SQLite (upper case)
    /// and uuid in PostgreSQL, while references spell them in lower case.
    /// </summary>
    private static async Task<(long Held, List<Guid> Unsettled)> TopupChecksAsync(AppDbContext db, CancellationToken ct)
    {
        var held = await db.Database.SqlQueryRaw<long>(
            "SELECT COALESCE(SUM(amount), 0) AS \"Value\" FROM topups WHERE status IN ('held', 'refunding')").SingleAsync(ct);

        var sql = db.Database.IsNpgsql() ? UnsettledSql("t.id::text") : UnsettledSql("lower(t.id)");
        var unsettled = await db.Database.SqlQueryRaw<Guid>(sql).OrderBy(id => id).Take(10).ToListAsync(ct);
        return (held, unsettled);
    }

    private static string UnsettledSql(string idAsText) =>
        "SELECT t.id AS \"Value\" FROM topups t WHERE t.status IN ('pending', 'failed', 'cancelled') " +
        "AND EXISTS (SELECT 1 FROM ledger_transactions l WHERE l.reference = 'topup:' || " + idAsText + ")";
}
