using SuperApp.Features.Users;

namespace SuperApp.Features.Subscriptions;

/// <summary>Questions other features ask about subscriptions (e.g. premium content for subscribers).</summary>
public static class SubscriptionQueries
{
    /// <summary>
    /// Whether the subscriber has access now. Judged by the expiry time, not the status, so a late
    /// expiry job never grants extra access; a cancelled subscription keeps access until it expires.
    /// </summary>
    public static Task<bool> HasActiveAsync(AppDbContext db, Guid subscriberId, Guid creatorId, DateTime now, CancellationToken ct) =>
        db.Subscriptions.AnyAsync(s => s.SubscriberId == subscriberId && s.CreatorId == creatorId &&
                                       s.Status != SubscriptionStatus.Expired && s.ExpiresAt > now, ct);

    /// <summary>Creators (and admins, who may act as one) that can be subscribed to.</summary>
    public static Task<bool> IsCreatorAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Id == userId && u.Status == UserStatus.Active && (u.Role == Role.Creator || u.Role == Role.Admin), ct);

    /// <summary>
    /// Marks live subscriptions in <paramref name="query"/> whose time has run out as expired. One
    /// conditional statement, so concurrent runs expire each row once.
    /// </summary>
    public static Task<int> ExpireLapsedAsync(IQueryable<Subscription> query, DateTime now, CancellationToken ct) =>
        query.Where(s => s.Status != SubscriptionStatus.Expired && s.ExpiresAt <= now)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.Status, SubscriptionStatus.Expired)
                .SetProperty(s => s.EndReason, SubscriptionEndReason.Lapsed)
                .SetProperty(s => s.EndedAt, s => s.ExpiresAt)
                .SetProperty(s => s.UpdatedAt, now), ct);
}
