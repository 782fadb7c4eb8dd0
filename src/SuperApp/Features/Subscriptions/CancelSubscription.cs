using SuperApp.Features.Ledger;
using SuperApp.Features.Realtime;

namespace SuperApp.Features.Subscriptions;

public sealed record AutoRenewRequest([property: Required] bool? AutoRenew);

/// <summary>
/// Subscriber: cancel stops auto-renew (access continues until expiry); auto-renew can be switched
/// off, or back on, which also undoes a cancellation. Each is one conditional update.
/// </summary>
public static class CancelSubscription
{
    public static Task<Ok<SubscriptionView>> Cancel(
        Guid id, ClaimsPrincipal principal, HttpContext http, AppDbContext db, IOptions<RevenueOptions> revenue, TimeProvider time,
        RealtimeOutbox outbox, CancellationToken ct)
    {
        var now = time.UtcNow();
        return ChangeAsync(id, principal, http, db, revenue, now, "subscription.cancel",
            (s => SubscriptionEvents.Stage(outbox, db, s, SubscriptionEvents.Cancelled)),
            q => q.Where(s => s.Status == SubscriptionStatus.Active).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, SubscriptionStatus.Cancelled)
                .SetProperty(s => s.AutoRenew, false)
                .SetProperty(s => s.CancelledAt, now)
                .SetProperty(s => s.UpdatedAt, now), ct),
            s => s.Status == SubscriptionStatus.Cancelled
                ? new(409, "ALREADY_CANCELLED", "This subscription is already cancelled.")
                : RenewSubscription.Ended(), ct);
    }

    public static Task<Ok<SubscriptionView>> SetAutoRenew(
        Guid id, AutoRenewRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, IOptions<RevenueOptions> revenue,
        TimeProvider time, CancellationToken ct)
    {
        var now = time.UtcNow();
        var live = (IQueryable<Subscription> q) => q.Where(s => s.Status != SubscriptionStatus.Expired);
        return ChangeAsync(id, principal, http, db, revenue, now, "subscription.auto_renew", null,
            request.AutoRenew!.Value
                ? q => live(q).ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.AutoRenew, true)
                    .SetProperty(s => s.Status, SubscriptionStatus.Active)
                    .SetProperty(s => s.CancelledAt, (DateTime?)null)
                    .SetProperty(s => s.UpdatedAt, now), ct)
                : q => live(q).ExecuteUpdateAsync(u => u.SetProperty(s => s.AutoRenew, false).SetProperty(s => s.UpdatedAt, now), ct),
            _ => RenewSubscription.Ended(), ct);
    }

    private static async Task<Ok<SubscriptionView>> ChangeAsync(
        Guid id, ClaimsPrincipal principal, HttpContext http, AppDbContext db, IOptions<RevenueOptions> revenue, DateTime now,
            string action,
        Action<Subscription>? announce, Func<IQueryable<Subscription>, Task<int>> update, Func<Subscription, ApiException> refusal,
            CancellationToken ct)
    {
        var me = principal.UserId();
        var own = db.Subscriptions.Where(s => s.Id == id && s.SubscriberId == me);
        var subscription = await db.RunAsync(async ct =>
        {
            var before = await own.AsNoTracking().FirstOrDefaultAsync(ct) ?? throw RenewSubscription.NotFound();
            if (await update(own) == 0)
            {
                throw refusal(await own.AsNoTracking().FirstAsync(ct));
            }

            var after = await own.AsNoTracking().FirstAsync(ct);
            AuditContext.From(http).Record(db, action, "subscription", id.ToString(),
                new { status = EnumText.Name(before.Status), before.AutoRenew }, new { status = EnumText.Name(after.Status),
                    after.AutoRenew }, now);
            await db.SaveChangesAsync(ct);
            announce?.Invoke(after);
            return after;
        }, ct);

        return TypedResults.Ok(await SubscriptionViews.DescribeAsync(db, subscription, revenue.Value.Currency, now, ct));
    }
}
