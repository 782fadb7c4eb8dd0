using SuperApp.Features.Ledger;

namespace SuperApp.Features.Refunds;

/// <summary>
/// Takes the row locks of every account a refund may post to, before reading what the creator's
/// accounts hold, in the ledger's own order (<see cref="AccountRef.InLockOrder"/>). The
/// posting that follows then waits on nothing, and no refund, purchase or settlement can hold one of
/// these rows while waiting for another this refund holds, so none deadlocks.
/// </summary>
public static class RefundLocks
{
    public sealed record Locked(long Balance, string Status);

    public static async Task<IReadOnlyDictionary<AccountRef, Locked>> TakeAsync(
        AppDbContext db, IEnumerable<AccountRef?> accounts, CancellationToken ct)
    {
        var result = new Dictionary<AccountRef, Locked>();
        // A system account the ledger picks a shard for has no row to lock yet; it sorts after every
        // row taken here, so the ledger's order still holds.
        var named = accounts.OfType<AccountRef>().Distinct().Where(a => a.Shard != AccountRef.AnyShard);
        foreach (var a in AccountRef.InLockOrder(named, a => a))
        {
            // A no-op update locks the row (PostgreSQL) or takes the write lock (SQLite) and returns the
            // latest committed balance, not this transaction's snapshot. An account that does not exist yet holds nothing.
            var rows = await db.Database.SqlQuery<Locked>($"""
                UPDATE accounts SET balance = balance WHERE owner_id = {a.OwnerId} AND kind = {EnumText.Name(a.Kind)}
                  AND shard = {a.Shard}
                RETURNING balance, status
                """).ToListAsync(ct);
            if (rows is [var row])
            {
                result[a] = row;
            }
        }

        return result;
    }
}
