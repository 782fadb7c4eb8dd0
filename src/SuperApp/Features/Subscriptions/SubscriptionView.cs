using Microsoft.EntityFrameworkCore;
using SuperApp.Data;

namespace SuperApp.Features.Subscriptions;

public sealed record UserRef(Guid Id, string Username);

/// <summary>A subscription as either side sees it. <c>hasAccess</c> is what access checks decide by.</summary>
public sealed record SubscriptionView(
    Guid SubscriptionId, UserRef Subscriber, UserRef Creator, PlanKind Plan, long Price, string Currency,
    SubscriptionStatus Status, bool AutoRenew, bool HasAccess, DateTime StartedAt, DateTime ExpiresAt,
    DateTime? CancelledAt, DateTime? EndedAt, SubscriptionEndReason? EndReason);

/// <summary>What subscribe and renew answer: the money fields every money POST has, and the subscription.</summary>
public sealed record SubscriptionChargeResponse(
    Guid TransactionId, long Amount, string Currency, long Balance, SubscriptionView Subscription);

public static class SubscriptionViews
{
    public static async Task<List<SubscriptionView>> DescribeAsync(
        AppDbContext db, IReadOnlyList<Subscription> subscriptions, string currency, DateTime now, CancellationToken ct)
    {
        var ids = subscriptions.SelectMany(s => new[] { s.SubscriberId, s.CreatorId }).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Username, ct);
        UserRef Ref(Guid id) => new(id, names.GetValueOrDefault(id, ""));
        return subscriptions.Select(s => new SubscriptionView(
            s.Id, Ref(s.SubscriberId), Ref(s.CreatorId), s.Plan, s.Price, currency, s.Status, s.AutoRenew,
            s.Status != SubscriptionStatus.Expired && s.ExpiresAt > now,
            s.StartedAt, s.ExpiresAt, s.CancelledAt, s.EndedAt, s.EndReason)).ToList();
    }

    public static async Task<SubscriptionView> DescribeAsync(AppDbContext db, Subscription subscription, string currency, DateTime now, CancellationToken ct) =>
        (await DescribeAsync(db, [subscription], currency, now, ct))[0];
}
