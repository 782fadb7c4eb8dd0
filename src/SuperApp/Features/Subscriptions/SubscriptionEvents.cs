using SuperApp.Features.Realtime;

namespace SuperApp.Features.Subscriptions;

/// <summary>The subscription as its durable real-time events carry it, to the subscriber and the creator alike.</summary>
public sealed record SubscriptionChanged(
    Guid SubscriptionId, Guid SubscriberId, Guid CreatorId, PlanKind Plan, long Price, SubscriptionStatus Status, bool AutoRenew,
    DateTime ExpiresAt, SubscriptionEndReason? EndReason);

public static class SubscriptionEvents
{
    public const string Started = "subscription.started";
    public const string Renewed = "subscription.renewed";
    public const string Expired = "subscription.expired";
    public const string Cancelled = "subscription.cancelled";

    /// <summary>Stages the event for both sides in the transaction that made the change.</summary>
    public static void Stage(RealtimeOutbox outbox, AppDbContext db, Subscription s, string type)
    {
        var data = new SubscriptionChanged(s.Id, s.SubscriberId, s.CreatorId, s.Plan, s.Price, s.Status, s.AutoRenew, s.ExpiresAt,
            s.EndReason);
        outbox.Stage(db, s.SubscriberId, type, data);
        outbox.Stage(db, s.CreatorId, type, data);
    }
}
