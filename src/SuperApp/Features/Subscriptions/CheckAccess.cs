using SuperApp.Features.Ledger;

namespace SuperApp.Features.Subscriptions;

public sealed record AccessResponse(Guid CreatorId, bool Subscribed, SubscriptionView? Subscription);

public static class CheckAccess
{
    /// <summary>Whether the caller has access to a creator's subscriber content now (expiry time decides, not status).</summary>
    public static async Task<Results<Ok<AccessResponse>, ProblemHttpResult>> Handle(
        Guid creatorId, ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, TimeProvider time,
            CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == creatorId, ct))
        {
            return Problems.NotFound("CREATOR_NOT_FOUND", "No such creator.");
        }

        var me = principal.UserId();
        var now = time.UtcNow();
        var live = await db.Subscriptions.AsNoTracking()
            .FirstOrDefaultAsync(s => s.SubscriberId == me && s.CreatorId == creatorId && s.Status != SubscriptionStatus.Expired
                && s.ExpiresAt > now, ct);
        var view = live is null ? null : await SubscriptionViews.DescribeAsync(db, live, revenue.Value.Currency, now, ct);
        return TypedResults.Ok(new AccessResponse(creatorId, view is not null, view));
    }
}
