using SuperApp.Features.Ledger;
using SuperApp.Features.Users;

namespace SuperApp.Features.Creators;

public sealed record SettlementItem(Guid CreatorId, long Amount, Guid? TransactionId, string? Error);

/// <summary>
/// <c>Creators</c> were looked at, <c>Paid</c> of them received money, <c>Refused</c> could not (see
/// each item's error), <c>Skipped</c> were left pending without trying: their account is not active
/// (deleted or suspended) or their wallet is frozen. Skipped creators are not listed as items.
/// </summary>
public sealed record SettlementReport(
    bool DryRun, DateTime Cutoff, int Creators, int Paid, int Refused, int Skipped, long TotalAmount, string Currency,
    IReadOnlyList<SettlementItem> Items);

/// <summary>
/// Moves each creator's earnings older than the holding period from pending to their wallet. There
/// is no per-earning state: what may be settled is the pending balance less the credits after the
/// cutoff (the same as aged credits less everything taken out so far, without reading all history),
/// computed while holding the row locks of all the creator's pending shards. Settlers of one
/// creator therefore run one after another, and a second one finds nothing left, on any number of
/// instances. Earnings settle only into an active account's wallet that is
/// not frozen; otherwise they stay pending, and a deleted user never gets a wallet (docs/0005).
/// </summary>
public sealed class RevenueSettlement(AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue, SettlementMetrics metrics)
{
    public async Task<SettlementReport> RunOnceAsync(AuditContext audit, DateTime now, Guid? creatorId, bool dryRun, CancellationToken ct)
    {
        var cutoff = now - revenue.Value.HoldingPeriod;
        var owners = creatorId is { } one
            ? db.Users.Where(u => u.Id == one).Select(u => u.Id)
            : db.Accounts.Where(a => a.Kind == AccountKind.EarningsPending && a.Balance > 0).Select(a => a.OwnerId).Distinct();
        // Those who cannot take money now are left out before any transaction, so they neither fail
        // every run nor hold up the batch; they settle on the first run after they can.
        var creators = await owners.OrderBy(id => id).Select(id => new
        {
            Id = id,
            Open = db.Users.Any(u => u.Id == id && u.Status == UserStatus.Active) &&
                   !db.Accounts.Any(w => w.OwnerId == id && w.Kind == AccountKind.Wallet && w.Status == AccountStatus.Frozen),
        }).AsNoTracking().ToListAsync(ct);

        var items = new List<SettlementItem>();
        var skipped = creators.Count(c => !c.Open);
        foreach (var creator in creators.Where(c => c.Open).Select(c => c.Id))
        {
            var item = dryRun ? await PreviewAsync(creator, cutoff, ct) : await SettleAsync(creator, cutoff, audit, ct);
            if (item is null)
            {
                skipped++;
            }
            else if (item.Amount > 0 || item.Error is not null)
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

        return new SettlementReport(dryRun, cutoff, creators.Count, paid, refused, skipped, settled, revenue.Value.Currency, items);
    }

    /// <summary>Null when the creator turned out unable to take money after all (changed since the batch was read).</summary>
    private async Task<SettlementItem?> SettleAsync(Guid creator, DateTime cutoff, AuditContext audit, CancellationToken ct)
    {
        try
        {
            return await db.RunAsync(async ct =>
            {
                // Checked again under lock, in the order a deletion takes them (user row, then
                // accounts): a creator deleted or suspended meanwhile is skipped, and since the
                // ledger creates a missing wallet on credit, this is what keeps a deleted user from
                // getting one. No-op updates take row locks on PostgreSQL (the write lock on SQLite).
                // The pending account's lock is what serialises settlers; the wallet's is taken
                // before it because that is the ledger's order, and the creator's own purchases lock
                // their wallet first.
                if (!await Sellers.LockActiveAsync(db, creator, ct))
                {
                    return null;
                }

                var wallet = await db.Database.SqlQuery<string>($"""
                    UPDATE accounts SET balance = balance WHERE owner_id = {creator} AND kind = 'wallet' RETURNING status AS "Value"
                    """).ToListAsync(ct);
                if (wallet.Contains(EnumText.Name(AccountStatus.Frozen)))
                {
                    return null;
                }

                var shards = await EarningsShards.LockAsync(db, creator, ct);
                var eligible = await EligibleAsync(shards.Select(s => s.Id).ToList(), shards.Sum(s => s.Balance), cutoff, ct);
                if (eligible <= 0)
                {
                    return new SettlementItem(creator, 0, null, null);
                }

                if (wallet.Count == 0)
                {
                    // No wallet was there to lock before the shards. Posting now would wait on one another settler
                    // created meanwhile, while holding the shards that settler waits on. Create it (only while the
                    // creator is active) and run again, so the wallet is locked first, in the ledger's order.
                    throw new UnitOfWork.RetryException($"Creator {creator} has no wallet yet.")
                        .AfterRollback(ct => ledger.OpenAccountAsync(AccountRef.Wallet(creator), ct));
                }

                // Out of the shards that hold it, into the wallet, as one transaction.
                var posted = await ledger.PostAsync(new PostingRequest(TransactionKind.Settlement, eligible,
                    [.. EarningsShards.Debits(shards.Select(s => (s.Account(creator), s.Balance)), eligible),
                        new Posting(AccountRef.Wallet(creator), eligible)]), audit, ct);
                return new SettlementItem(creator, eligible, posted.Transaction.Id, null);
            }, ct);
        }
        catch (ApiException e)
        {
            // A full wallet cannot take the money now; it stays pending for a later run.
            return new SettlementItem(creator, 0, null, e.Code);
        }
    }

    private async Task<SettlementItem> PreviewAsync(Guid creator, DateTime cutoff, CancellationToken ct)
    {
        var shards = await db.Accounts.AsNoTracking().Where(a => a.OwnerId == creator && a.Kind == AccountKind.EarningsPending)
            .Select(a => new { a.Id, a.Balance }).ToListAsync(ct);
        var eligible = await EligibleAsync(shards.Select(s => s.Id).ToList(), shards.Sum(s => s.Balance), cutoff, ct);
        return new SettlementItem(creator, eligible, null, null);
    }

    /// <summary>
    /// Aged credits minus every debit so far, as the balance less the credits still in their holding
    /// period: one range of the (account, created_at) index of credits, however long the history.
    /// Counting all debits, not only settlements, keeps a reversal of an earning from being paid out
    /// too; the result never exceeds the balance and is never below zero.
    /// </summary>
    private async Task<long> EligibleAsync(List<Guid> accountIds, long balance, DateTime cutoff, CancellationToken ct)
    {
        if (accountIds.Count == 0)
        {
            return 0;
        }

        var recent = await db.LedgerEntries.Where(e => accountIds.Contains(e.AccountId) && e.Amount > 0 && e.CreatedAt > cutoff)
            .SumAsync(e => e.Amount, ct);
        return Math.Max(0, balance - recent);
    }
}
