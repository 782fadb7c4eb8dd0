using System.Globalization;
using SuperApp.Features.Ledger;
using SuperApp.Features.Realtime;

namespace SuperApp.Features.Subscriptions;

/// <summary>
/// Charges one period: the fraud guard, then a single ledger posting (subscriber wallet →
/// creator's pending earnings + platform revenue, split per <c>Revenue:Splits:Subscription</c>).
/// Runs inside the caller's money transaction, which also writes the subscription row.
/// </summary>
public sealed class SubscriptionBilling(
    AppDbContext db, LedgerPoster ledger, SpendGuard guard, IOptions<RevenueOptions> revenue, RealtimeOutbox outbox)
{
    public async Task<PostedTransaction> ChargeAsync(Subscription s, long price, string tier, string reference, AuditContext audit,
        CancellationToken ct)
    {
        var batch = guard.AddTo(new LedgerBatch(), s.SubscriberId, tier, TransactionKind.Subscription, price, seller: null, audit);
        var request = PostingRequest.Split(TransactionKind.Subscription, s.SubscriberId, s.CreatorId, price,
            revenue.Value.Splits.Subscription) with
        {
            Reference = reference,
            Note = $"{EnumText.Name(s.Plan)} subscription",
        };
        return await ledger.PostAsync(request, audit, ct, batch);
    }

    /// <summary>
    /// What a renewal charges without the subscriber naming a new price: the agreed price, or the
    /// plan's current price if the creator lowered it (customer-favourable, and it then becomes the
    /// agreed price). Null when the plan is withdrawn: there is nothing left to renew at any price.
    /// </summary>
    public static long? RenewalPrice(long agreed, long? planPrice) => planPrice is { } current ? Math.Min(agreed, current) : null;

    /// <summary>Stages a subscription event for both sides in the open transaction.</summary>
    public void Announce(Subscription s, string type) => SubscriptionEvents.Stage(outbox, db, s, type);

    /// <summary>
    /// Pays for the next period, which starts at max(now, current expiry): paying early never loses
    /// time, paying late never buys time already passed. The ledger reference names the expiry being
    /// extended, the same for every job run and instance, so one period can be charged only once.
    /// </summary>
    public async Task<PostedTransaction> RenewAsync(Subscription s, long price, string tier, DateTime now, AuditContext audit,
        CancellationToken ct)
    {
        var reference = string.Create(CultureInfo.InvariantCulture, $"subscription:{s.Id}:{s.ExpiresAt:o}");
        var posted = await ChargeAsync(s, price, tier, reference, audit, ct);
        s.ExpiresAt = (s.ExpiresAt > now ? s.ExpiresAt : now) + s.Plan.Duration();
        s.Price = price;
        s.LastTransactionId = posted.Transaction.Id;
        s.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        SubscriptionEvents.Stage(outbox, db, s, SubscriptionEvents.Renewed);
        return posted;
    }
}
