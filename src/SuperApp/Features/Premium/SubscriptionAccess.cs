using SuperApp.Data;

namespace SuperApp.Features.Premium;

/// <summary>
/// Whether a user subscribes to a creator: the one place premium content asks about subscriptions,
/// so the subscriptions feature (built separately) plugs in here without touching access rules.
/// </summary>
public static class SubscriptionAccess
{
    /// <summary>
    /// Always false for now: it will read the subscriptions table (an active subscription of
    /// <paramref name="userId"/> to <paramref name="creatorId"/> not yet expired at <paramref name="now"/>)
    /// once that table exists.
    /// </summary>
    public static Task<bool> HasActiveSubscriptionAsync(AppDbContext db, Guid userId, Guid creatorId, DateTime now, CancellationToken ct) =>
        Task.FromResult(false);
}
