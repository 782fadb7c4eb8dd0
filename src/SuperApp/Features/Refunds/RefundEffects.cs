using SuperApp.Features.Gifts;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;

namespace SuperApp.Features.Refunds;

/// <summary>
/// What a refund undoes besides the money: access, the subscription, the leaderboard. Each step runs
/// in the refund's transaction at the point the purchase itself touched the same rows (before or after
/// its postings), so a refund and a purchase or renewal never take locks in opposite orders.
/// </summary>
public static class RefundEffects
{
    /// <summary>
    /// Before the postings. An unlock's access row is deleted (the unique (user, content) index then lets
    /// the buyer buy it again; a purchase racing the refund saw the row and was refused before any lock);
    /// a subscription ends now if the refunded charge paid for its current period, as a renewal would
    /// claim the row first. Returns what to finish afterwards.
    /// </summary>
    public static async Task<Func<CancellationToken, Task>?> BeforePostingAsync(
        AppDbContext db, LedgerTransaction tx, DateTime now, CancellationToken ct)
    {
        switch (tx.Kind)
        {
            case TransactionKind.Unlock when IdAfter(tx.Reference, "unlock:") is { } unlockId:
                var contentId = await db.ContentUnlocks.Where(u => u.Id == unlockId).Select(u => (Guid?)u.ContentId)
                    .FirstOrDefaultAsync(ct);
                var removed = contentId is null ? 0 : await db.ContentUnlocks.Where(u => u.Id == unlockId).ExecuteDeleteAsync(ct);
                // The counter is the content's, taken after the postings like an unlock does; only if this refund removed the unlock.
                return removed == 0 ? null : ct => db.PremiumContents.Where(c => c.Id == contentId && c.UnlockCount > 0)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.UnlockCount, c => c.UnlockCount - 1), ct);

            case TransactionKind.Subscription when IdAfter(tx.Reference, "subscription:") is { } subscriptionId:
                // A charge for a period already followed by a renewal is refunded without ending the newer, paid period.
                await db.Subscriptions
                    .Where(s => s.Id == subscriptionId && s.Status != SubscriptionStatus.Expired && s.LastTransactionId == tx.Id)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(s => s.Status, SubscriptionStatus.Expired)
                        .SetProperty(s => s.EndReason, SubscriptionEndReason.Refunded)
                        .SetProperty(s => s.EndedAt, now)
                        .SetProperty(s => s.AutoRenew, false)
                        .SetProperty(s => s.UpdatedAt, now), ct);
                return null;

            case TransactionKind.Gift:
                var gift = await db.Gifts.AsNoTracking().FirstOrDefaultAsync(g => g.TransactionId == tx.Id, ct);
                return gift is null ? null : ct => SubtractGiftAsync(db, gift, ct);

            default:
                return null;
        }
    }

    /// <summary>
    /// Takes a gift back off the sender's and the recipient's rows of every period it was counted in
    /// (the periods of the gift's own time, not the refund's), so each board drops by exactly what the
    /// gift added. Not the gift's negated upsert: a CHECK judges the proposed insert row before the
    /// conflict turns it into an update. One row at a time, in the order a gift writes them, so a refund
    /// and a gift never wait on each other's rows in a cycle.
    /// </summary>
    private static async Task SubtractGiftAsync(AppDbContext db, Gift gift, CancellationToken ct)
    {
        long count = gift.Quantity;
        LeaderboardPeriod[] periods = [LeaderboardPeriod.Day, LeaderboardPeriod.Week, LeaderboardPeriod.Month, LeaderboardPeriod.All];
        foreach (var period in periods)
        {
            var start = GiftLeaderboard.PeriodStart(period, gift.CreatedAt);
            (string Board, Guid User, int Shard)[] rows =
                [("receivers", gift.RecipientId, gift.LeaderboardShard), ("senders", gift.SenderId, 0)];
            foreach (var (board, user, shard) in rows)
            {
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE gift_leaderboard SET total = total - {gift.Amount}, gift_count = gift_count - {count}
                    WHERE period = {EnumText.Name(period)} AND period_start = {start} AND board = {board} AND user_id = {user}
                      AND shard = {shard}
                    """, ct);
            }
        }
    }

    /// <summary>The id in a reference such as <c>unlock:{id}</c> or <c>subscription:{id}:{period}</c>.</summary>
    private static Guid? IdAfter(string? reference, string prefix) =>
        reference is not null && reference.StartsWith(prefix, StringComparison.Ordinal) && reference.Length >= prefix.Length + 36 &&
        Guid.TryParse(reference.AsSpan(prefix.Length, 36), out var id)
            ? id
            : null;
}
