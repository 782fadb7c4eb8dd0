using SuperApp.Features.Ledger;
using SuperApp.Features.Users;

namespace SuperApp.Features.Subscriptions;

/// <summary>
/// Optional body of a renewal. <c>expectedPrice</c> is the subscriber's consent to the plan's current
/// price when it is higher than the agreed one; without it the agreed price is charged.
/// </summary>
public sealed record RenewRequest(long? ExpectedPrice);

public static class RenewSubscription
{
    /// <summary>
    /// Subscriber: pays for one more period now, at the agreed price (or the plan's lower current
    /// price). With <c>expectedPrice</c> equal to the plan's current price, pays that and it becomes
    /// the agreed price; a different <c>expectedPrice</c> is 409 PRICE_CHANGED and charges nothing.
    /// 422 PLAN_UNAVAILABLE when the plan was withdrawn, 422 CREATOR_UNAVAILABLE when the creator's
    /// account is deleted or suspended. Auto-renew is left as it is.
    /// </summary>
    public static async Task<Results<Ok<SubscriptionChargeResponse>, ProblemHttpResult>> Handle(
        Guid id, RenewRequest? request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, SubscriptionBilling billing,
        IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        var me = principal.UserId();
        var now = time.UtcNow();
        var (subscription, posted) = await db.RunAsync(async ct =>
        {
            var creatorId = await db.Subscriptions.Where(s => s.Id == id && s.SubscriberId == me).Select(s => (Guid?)s.CreatorId)
                .FirstOrDefaultAsync(ct) ?? throw NotFound();
            // The creator's row before the subscription's: the lock order every sale takes (see Sellers).
            if (!await Sellers.LockActiveAsync(db, creatorId, ct))
            {
                throw CreatorUnavailable();
            }

            // A no-op update takes the row lock, so renewals of one subscription (by hand or by the job) go one at a time.
            var locked = await db.Subscriptions.Where(s => s.Id == id && s.SubscriberId == me)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.UpdatedAt, now), ct);
            if (locked == 0)
            {
                throw NotFound();
            }

            var s = await db.Subscriptions.FirstAsync(x => x.Id == id, ct);
            if (s.Status == SubscriptionStatus.Expired)
            {
                throw Ended();
            }

            var plan = await db.SubscriptionPlans.AsNoTracking()
                .FirstOrDefaultAsync(p => p.CreatorId == s.CreatorId && p.Plan == s.Plan, ct)
                ?? throw new ApiException(422, "PLAN_UNAVAILABLE", "The creator no longer offers this plan.");
            var price = PriceFor(s, plan, request?.ExpectedPrice, revenue.Value.Currency);
            return (s, await billing.RenewAsync(s, price, principal.Tier(), now, AuditContext.From(http), ct));
        }, ct);

        var view = await SubscriptionViews.DescribeAsync(db, subscription, revenue.Value.Currency, now, ct);
        var tx = posted.Transaction;
        return TypedResults.Ok(new SubscriptionChargeResponse(tx.Id, tx.Amount, tx.Currency, posted.BalancesAfter[AccountRef.Wallet(me)],
            view));
    }

    /// <summary>
    /// A named price is consent to exactly that price: charged only if it is what the plan costs now,
    /// so a price changed between the subscriber's look and the request never charges a surprise.
    /// </summary>
    private static long PriceFor(Subscription s, SubscriptionPlan plan, long? expected, string currency) => expected switch
    {
        null => SubscriptionBilling.RenewalPrice(s.Price, plan.Price)!.Value,
        { } named when named == plan.Price => named,
        _ => throw new ApiException(409, "PRICE_CHANGED", "The plan's price is not the one you named.",
            $"The plan now costs {plan.Price} ({currency} minor units); your agreed price is {s.Price}.")
        {
            Extensions = { ["currentPrice"] = plan.Price, ["agreedPrice"] = s.Price },
        },
    };

    public static ApiException NotFound() => new(404, "SUBSCRIPTION_NOT_FOUND", "No such subscription.");

    public static ApiException Ended() =>
        new(409, "SUBSCRIPTION_ENDED", "This subscription has ended.", "Subscribe again to start a new one.");

    public static ApiException CreatorUnavailable() =>
        new(422, "CREATOR_UNAVAILABLE", "The creator's account is no longer active.",
            "Nothing can be renewed; the current period runs to its end.");
}
