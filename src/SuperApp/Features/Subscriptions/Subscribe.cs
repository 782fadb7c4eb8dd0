using System.Globalization;
using SuperApp.Features.Ledger;
using SuperApp.Features.Users;

namespace SuperApp.Features.Subscriptions;

/// <summary>No price field: the price is the creator's plan price, whatever a client sends.</summary>
public sealed record SubscribeRequest([property: Required] Guid? CreatorId, [property: Required] string? Plan);

public static class Subscribe
{
    /// <summary>
    /// Starts a subscription at the plan's current price, which becomes the agreed price renewals
    /// charge. 404 CREATOR_NOT_FOUND for an unknown, deleted or suspended creator.
    /// </summary>
    public static async Task<Results<Created<SubscriptionChargeResponse>, ProblemHttpResult>> Handle(
        SubscribeRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, SubscriptionBilling billing,
        IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        if (!EnumText.TryParse<PlanKind>(request.Plan, out var kind))
        {
            return Problems.Validation("plan", "The plan is one of monthly, quarterly, yearly.");
        }

        var me = principal.UserId();
        var creatorId = request.CreatorId!.Value;
        if (creatorId == me)
        {
            return Problems.Unprocessable("SELF_SUBSCRIPTION", "You cannot subscribe to yourself.");
        }

        if (!await SubscriptionQueries.IsCreatorAsync(db, creatorId, ct))
        {
            return Problems.NotFound("CREATOR_NOT_FOUND", "No such creator.");
        }

        var plan = await db.SubscriptionPlans.AsNoTracking().FirstOrDefaultAsync(p => p.CreatorId == creatorId && p.Plan == kind, ct);
        if (plan is null)
        {
            return Problems.NotFound("PLAN_NOT_FOUND", "The creator does not offer this plan.");
        }

        var now = time.UtcNow();
        var subscription = new Subscription
        {
            SubscriberId = me,
            CreatorId = creatorId,
            Plan = kind,
            Price = plan.Price,
            StartedAt = now,
            ExpiresAt = now + kind.Duration(),
            UpdatedAt = now,
        };
        var posted = await db.RunAsync(async ct =>
        {
            // Checked again where it counts: a creator deleted or suspended since the check above sells nothing.
            if (!await Sellers.LockActiveAsync(db, creatorId, ct))
            {
                throw new ApiException(404, "CREATOR_NOT_FOUND", "No such creator.");
            }

            // A subscription whose time ran out but that no job has expired yet must not block a new one.
            await SubscriptionQueries.ExpireLapsedAsync(db.Subscriptions.Where(s => s.SubscriberId == me && s.CreatorId == creatorId),
                now, ct);
            if (await db.Subscriptions.AnyAsync(s => s.SubscriberId == me && s.CreatorId == creatorId
                && s.Status != SubscriptionStatus.Expired, ct))
            {
                throw AlreadySubscribed();
            }

            db.Subscriptions.Add(subscription);
            try
            {
                // Inserted before charging: of two racing requests the second waits here on the unique index, then fails.
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (UniqueViolation.On(e, "subscriptions"))
            {
                throw AlreadySubscribed();
            }

            var reference = string.Create(CultureInfo.InvariantCulture, $"subscription:{subscription.Id}:{now:o}");
            var charged = await billing.ChargeAsync(subscription, plan.Price, principal.Tier(), reference, AuditContext.From(http), ct);
            subscription.LastTransactionId = charged.Transaction.Id;
            await db.SaveChangesAsync(ct);
            billing.Announce(subscription, SubscriptionEvents.Started);
            return charged;
        }, ct);

        var o = revenue.Value;
        var view = await SubscriptionViews.DescribeAsync(db, subscription, o.Currency, now, ct);
        var tx = posted.Transaction;
        return TypedResults.Created((string?)null,
            new SubscriptionChargeResponse(tx.Id, tx.Amount, tx.Currency, posted.BalancesAfter[AccountRef.Wallet(me)], view));
    }

    /// <summary>Thrown inside the transaction: on PostgreSQL a failed insert poisons it, so it must roll back.</summary>
    private static ApiException AlreadySubscribed() =>
        new(409, "ALREADY_SUBSCRIBED", "You already have a subscription to this creator.",
            "Renew it or turn auto-renew back on instead of subscribing again.");
}
