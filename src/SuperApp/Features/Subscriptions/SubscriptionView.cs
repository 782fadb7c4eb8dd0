using SuperApp.Features.Users;

namespace SuperApp.Features.Subscriptions;

public sealed record UserRef(Guid Id, string Username);

/// <summary>
/// A subscription as either side sees it. <c>hasAccess</c> is what access checks decide by.
/// <c>price</c> is the agreed price; <c>nextPrice</c> what the next automatic renewal will charge
/// (null if it will not renew: auto-renew off, ended, plan withdrawn or creator no longer active);
/// <c>planPrice</c> the creator's current price for the plan (null if withdrawn). A higher
/// <c>planPrice</c> applies only after a renewal that names it as <c>expectedPrice</c>.
/// </summary>
public sealed record SubscriptionView(
    Guid SubscriptionId, UserRef Subscriber, UserRef Creator, PlanKind Plan, long Price, string Currency,
    SubscriptionStatus Status, bool AutoRenew, bool HasAccess, DateTime StartedAt, DateTime ExpiresAt,
    DateTime? CancelledAt, DateTime? EndedAt, SubscriptionEndReason? EndReason, long? NextPrice, long? PlanPrice);

/// <summary>What subscribe and renew answer: the money fields every money POST has, and the subscription.</summary>
public sealed record SubscriptionChargeResponse(
    Guid TransactionId, long Amount, string Currency, long Balance, SubscriptionView Subscription);

public static class SubscriptionViews
{
    public static async Task<List<SubscriptionView>> DescribeAsync(
        AppDbContext db, IReadOnlyList<Subscription> subscriptions, string currency, DateTime now, CancellationToken ct)
    {
        var ids = subscriptions.SelectMany(s => new[] { s.SubscriberId, s.CreatorId }).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new { u.Username, u.Status }, ct);
        var creators = subscriptions.Select(s => s.CreatorId).Distinct().ToList();
        var plans = await db.SubscriptionPlans.AsNoTracking().Where(p => creators.Contains(p.CreatorId))
            .ToDictionaryAsync(p => (p.CreatorId, p.Plan), p => p.Price, ct);
        UserRef Ref(Guid id) => new(id, users.TryGetValue(id, out var u) ? u.Username : "");
        return subscriptions.Select(s =>
        {
            long? planPrice = plans.TryGetValue((s.CreatorId, s.Plan), out var p) ? p : null;
            var renews = s.Status == SubscriptionStatus.Active && s.AutoRenew &&
                         users.TryGetValue(s.CreatorId, out var creator) && creator.Status == UserStatus.Active;
            return new SubscriptionView(
                s.Id, Ref(s.SubscriberId), Ref(s.CreatorId), s.Plan, s.Price, currency, s.Status, s.AutoRenew,
                s.Status != SubscriptionStatus.Expired && s.ExpiresAt > now,
                s.StartedAt, s.ExpiresAt, s.CancelledAt, s.EndedAt, s.EndReason,
                renews ? SubscriptionBilling.RenewalPrice(s.Price, planPrice) : null, planPrice);
        }).ToList();
    }

    public static async Task<SubscriptionView> DescribeAsync(AppDbContext db, Subscription subscription, string currency, DateTime now,
        CancellationToken ct) =>
        (await DescribeAsync(db, [subscription], currency, now, ct))[0];
}
