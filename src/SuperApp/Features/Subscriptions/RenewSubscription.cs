using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Audit;
using SuperApp.Platform.Auth;
using SuperApp.Platform.Errors;

namespace SuperApp.Features.Subscriptions;

/// <summary>Subscriber: pays for one more period now, at the plan's current price. Auto-renew is left as it is.</summary>
public static class RenewSubscription
{
    public static async Task<Results<Ok<SubscriptionChargeResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, HttpContext http, AppDbContext db, SubscriptionBilling billing,
        IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        var me = principal.UserId();
        var now = time.GetUtcNow().UtcDateTime;
        var (subscription, posted) = await db.RunAsync(async ct =>
        {
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

            var plan = await db.SubscriptionPlans.AsNoTracking().FirstOrDefaultAsync(p => p.CreatorId == s.CreatorId && p.Plan == s.Plan, ct)
                ?? throw new ApiException(422, "PLAN_UNAVAILABLE", "The creator no longer offers this plan.");
            return (s, await billing.RenewAsync(s, plan.Price, principal.Tier(), now, AuditContext.From(http), ct));
        }, ct);

        var view = await SubscriptionViews.DescribeAsync(db, subscription, revenue.Value.Currency, now, ct);
        var tx = posted.Transaction;
        return TypedResults.Ok(new SubscriptionChargeResponse(tx.Id, tx.Amount, tx.Currency, posted.BalancesAfter[AccountRef.Wallet(me)], view));
    }

    public static ApiException NotFound() => new(404, "SUBSCRIPTION_NOT_FOUND", "No such subscription.");

    public static ApiException Ended() =>
        new(409, "SUBSCRIPTION_ENDED", "This subscription has ended.", "Subscribe again to start a new one.");
}
