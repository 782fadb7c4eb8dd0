using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Audit;
using SuperApp.Platform.Errors;

namespace SuperApp.Features.Creators;

public sealed record SettlementItem(Guid CreatorId, long Amount, Guid? TransactionId, string? Error);

/// <summary><c>Creators</c> were looked at, <c>Paid</c> of them received money, <c>Refused</c> could not (see each item's error).</summary>
public sealed record SettlementReport(
    bool DryRun, DateTime Cutoff, int Creators, int Paid, int Refused, long TotalAmount, string Currency, IReadOnlyList<SettlementItem> Items);

/// <summary>
/// Moves each creator's earnings older than the holding period from pending to their wallet. There
/// is no per-earning state: what may be settled is (credits at or before the cutoff) − (everything
/// already taken out of the pending account), computed while holding the pending account's row
/// lock. Settlers of one creator therefore run one after another, and a second one finds nothing
/// left, on any number of instances.
/// </summary>
public sealed class RevenueSettlement(AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue, SettlementMetrics metrics)
{
    public async Task<SettlementReport> RunOnceAsync(AuditContext audit, DateTime now, Guid? creatorId, bool dryRun, CancellationToken ct)
    {
        var cutoff = now - revenue.Value.HoldingPeriod;
        var creators = creatorId is { } one
            ? [one]
            : await db.Accounts.AsNoTracking().Where(a => a.Kind == AccountKind.EarningsPending && a.Balance > 0)
                .OrderBy(a => a.OwnerId).Select(a => a.OwnerId).ToListAsync(ct);

        var items = new List<SettlementItem>();
        foreach (var creator in creators)
        {
            var item = dryRun ? await PreviewAsync(creator, cutoff, ct) : await SettleAsync(creator, cutoff, audit, ct);
            if (item.Amount > 0 || item.Error is not null)
            {
                items.Add(item);
            }
        }

        var settled = items.Sum(i => i.Amount);
        var (paid, refused) = (items.Count(i => i.Error is null), items.Count(i => i.Error is not null));
        if (!dryRun)
        {
            metrics.Record(settled, paid, refused);
        }

        return new SettlementReport(dryRun, cutoff, creators.Count, paid, refused, settled, revenue.Value.Currency, items);
    }

    private async Task<SettlementItem> SettleAsync(Guid creator, DateTime cutoff, AuditContext audit, CancellationToken ct)
    {
        try
        {
            return await db.RunAsync(async ct =>
            {
                // No-op updates take row locks on PostgreSQL (the write lock on SQLite). The pending
                // account's lock is what serialises settlers; the wallet's is taken before it because
                // that is the ledger's order, and the creator's own purchases lock their wallet first.
                await db.Database.ExecuteSqlAsync($"UPDATE accounts SET balance = balance WHERE owner_id = {creator} AND kind = 'wallet'", ct);
                var locked = await db.Database.SqlQuery<AccountRow>($"""
                    UPDATE accounts SET balance = balance WHERE owner_id = {creator} AND kind = 'earnings_pending' RETURNING id
                    """).ToListAsync(ct);
                var eligible = locked.Count == 1 ? await EligibleAsync(locked[0].Id, cutoff, ct) : 0;
                if (eligible <= 0)
                {
                    return new SettlementItem(creator, 0, null, null);
                }

                var posted = await ledger.PostAsync(
                    PostingRequest.Move(TransactionKind.Settlement, AccountRef.Earnings(creator), AccountRef.Wallet(creator), eligible), audit, ct);
                return new SettlementItem(creator, eligible, posted.Transaction.Id, null);
            }, ct);
        }
        catch (ApiException e)
        {
            // A frozen or full wallet cannot take the money now; it stays pending for a later run.
            return new SettlementItem(creator, 0, null, e.Code);
        }
    }

    private async Task<SettlementItem> PreviewAsync(Guid creator, DateTime cutoff, CancellationToken ct)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.OwnerId == creator && a.Kind == AccountKind.EarningsPending)
            .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        return new SettlementItem(creator, account is { } id ? await EligibleAsync(id, cutoff, ct) : 0, null, null);
    }

    /// <summary>
    /// Aged credits minus every debit so far. Counting all debits, not only settlements, keeps a
    /// reversal of an earning from being paid out too, and the result never exceeds the balance.
    /// </summary>
    private async Task<long> EligibleAsync(Guid accountId, DateTime cutoff, CancellationToken ct)
    {
        var entries = db.LedgerEntries.Where(e => e.AccountId == accountId);
        var aged = await entries.Where(e => e.Amount > 0 && e.CreatedAt <= cutoff).SumAsync(e => e.Amount, ct);
        var taken = await entries.Where(e => e.Amount < 0).SumAsync(e => -e.Amount, ct);
        return aged - taken;
    }

    private sealed record AccountRow(Guid Id);
}
