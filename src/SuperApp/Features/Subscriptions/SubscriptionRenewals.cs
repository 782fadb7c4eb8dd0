using System.Linq.Expressions;
using SuperApp.Features.Realtime;
using SuperApp.Features.Users;

namespace SuperApp.Features.Subscriptions;

public sealed record RenewalRun(int Renewed, int Expired, int Skipped, int Failed);

/// <summary>
/// The auto-renew job: charges subscriptions whose period has run out, at the agreed price (never
/// more; less if the creator lowered the plan's price). A withdrawn plan or a creator who is no
/// longer active ends the subscription at its expiry instead.
/// Each one is claimed by a conditional update in the same transaction as its charge, so concurrent
/// runs (or instances) charge it once: the others wait on the row and then find it no longer due.
/// A refused charge (e.g. insufficient funds) ends the subscription with the reason.
/// </summary>
public static partial class SubscriptionRenewals
{
    private enum Outcome { Renewed, Expired, Skipped, Failed }

    public static async Task<RenewalRun> RunOnceAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        var batch = services.GetRequiredService<IOptions<SubscriptionOptions>>().Value.RenewalBatchSize;
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Subscriptions.Where(Due(now))
                .OrderBy(s => s.ExpiresAt).Select(s => s.Id).Take(batch).ToListAsync(ct);
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SubscriptionRenewals));
        var outcomes = new List<Outcome>();
        foreach (var id in due)
        {
            // A scope each: a fresh change tracker, and no request's idempotency record to stamp.
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                outcomes.Add(await RenewAsync(scope.ServiceProvider, id, now, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failing row must not hold up the rest: it stays due and is tried again next run.
                LogFailed(logger, id, e);
                outcomes.Add(Outcome.Failed);
            }
        }

        int Count(Outcome o) => outcomes.Count(x => x == o);
        return new RenewalRun(Count(Outcome.Renewed), Count(Outcome.Expired), Count(Outcome.Skipped), Count(Outcome.Failed));
    }

    private static Expression<Func<Subscription, bool>> Due(DateTime now) =>
        s => s.Status == SubscriptionStatus.Active && s.AutoRenew && s.ExpiresAt <= now;

    private static async Task<Outcome> RenewAsync(IServiceProvider services, Guid id, DateTime now, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var billing = services.GetRequiredService<SubscriptionBilling>();
        var outbox = services.GetRequiredService<RealtimeOutbox>();
        try
        {
            return await db.RunAsync(async ct =>
            {
                // The creator's row before the subscription's, the lock order of every sale (see Sellers).
                var creatorId = await db.Subscriptions.Where(s => s.Id == id).Select(s => s.CreatorId).FirstAsync(ct);
                var creatorActive = await Sellers.LockActiveAsync(db, creatorId, ct);
                if (await db.Subscriptions.Where(s => s.Id == id).Where(Due(now)).ExecuteUpdateAsync(u => u.SetProperty(s => s.UpdatedAt,
                    now), ct) == 0)
                {
                    return Outcome.Skipped;
                }

                var s = await db.Subscriptions.FirstAsync(x => x.Id == id, ct);
                // A deleted or suspended creator sells nothing more: the period that was paid for has
                // run to its end, and the subscription ends here instead of renewing.
                if (!creatorActive)
                {
                    return await EndAsync(db, outbox, id, SubscriptionEndReason.CreatorUnavailable, now, ct);
                }

                var planPrice = await db.SubscriptionPlans.Where(p => p.CreatorId == s.CreatorId && p.Plan == s.Plan)
                    .Select(p => (long?)p.Price).FirstOrDefaultAsync(ct);
                if (SubscriptionBilling.RenewalPrice(s.Price, planPrice) is not { } price)
                {
                    return await EndAsync(db, outbox, id, SubscriptionEndReason.PlanUnavailable, now, ct);
                }

                var tier = await db.Users.Where(u => u.Id == s.SubscriberId).Select(u => (Tier?)u.Tier).FirstOrDefaultAsync(ct);
                await billing.RenewAsync(s, price, tier is { } t ? EnumText.Name(t) : "free", now, AuditContext.System, ct);
                return Outcome.Renewed;
            }, ct);
        }
        catch (ApiException e) when (e.Status != StatusCodes.Status429TooManyRequests)
        {
            // The refused charge rolled back; the subscription ends, and says why.
            var reason = e.Code == "INSUFFICIENT_FUNDS" ? SubscriptionEndReason.InsufficientFunds : SubscriptionEndReason.PaymentRefused;
            return await db.RunAsync(ct => EndAsync(db, outbox, id, reason, now, ct), ct);
        }
        catch (ApiException)
        {
            return Outcome.Skipped; // "not now" (a velocity limit): try again next run
        }
        catch (DbUpdateException e) when (UniqueViolation.On(e, "ledger_transactions"))
        {
            return Outcome.Skipped; // the ledger reference says this period was already charged
        }
    }

    private static async Task<Outcome> EndAsync(AppDbContext db, RealtimeOutbox outbox, Guid id, SubscriptionEndReason reason,
        DateTime now, CancellationToken ct)
    {
        var ended = await db.Subscriptions.Where(s => s.Id == id).Where(Due(now)).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.Status, SubscriptionStatus.Expired)
            .SetProperty(s => s.EndReason, reason)
            .SetProperty(s => s.EndedAt, s => s.ExpiresAt)
            .SetProperty(s => s.UpdatedAt, now), ct);
        if (ended == 0)
        {
            return Outcome.Skipped;
        }

        AuditContext.System.Record(db, "subscription.renewal_failed", "subscription", id.ToString(), null,
            new { reason = EnumText.Name(reason) }, now);
        await db.SaveChangesAsync(ct);
        SubscriptionEvents.Stage(outbox, db, await db.Subscriptions.AsNoTracking().FirstAsync(s => s.Id == id, ct),
            SubscriptionEvents.Expired);
        return Outcome.Expired;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing subscription {SubscriptionId} failed")]
    private static partial void LogFailed(ILogger logger, Guid subscriptionId, Exception exception);
}
