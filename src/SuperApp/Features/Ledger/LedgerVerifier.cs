using Microsoft.EntityFrameworkCore;
using SuperApp.Data;

namespace SuperApp.Features.Ledger;

/// <summary>The four invariants of the ledger, with up to ten offenders of each.</summary>
public sealed record LedgerReport(
    bool Ok,
    int Transactions,
    int Accounts,
    long BalanceTotal,
    IReadOnlyList<Guid> UnbalancedTransactions,
    IReadOnlyList<Guid> AccountsNotMatchingEntries,
    IReadOnlyList<Guid> NegativeWallets);

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
        var ok = unbalanced.Count == 0 && mismatched.Count == 0 && negative.Count == 0 && total == 0;
        return new LedgerReport(ok, transactions, accounts, total, unbalanced, mismatched, negative);
    }
}
