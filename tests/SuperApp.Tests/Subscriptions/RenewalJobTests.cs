using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

/// <summary>
/// The jobs run as the hosted services run them, at a time moved past expiry. The fixture's own
/// clock is not moved (its access tokens must stay valid); the hosted jobs see real time, when
/// none of these subscriptions is due.
/// </summary>
public abstract class RenewalJobTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Auto_renew_charges_once_at_expiry_and_ends_with_a_reason_when_funds_run_out()
    {
        var creator = await app.CreatorAsync(("monthly", 10_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 25_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();
        var first = await app.SubscriptionAsync(id);

        await app.RenewDueAsync(first.ExpiresAt.AddSeconds(-1));
        Assert.Equal(first.ExpiresAt, (await app.SubscriptionAsync(id)).ExpiresAt);

        var late = first.ExpiresAt.AddMinutes(5);
        await app.RenewDueAsync(late);
        await app.RenewDueAsync(late);
        var renewed = await app.SubscriptionAsync(id);
        Assert.Equal(late.AddDays(30), renewed.ExpiresAt); // from max(now, expiry): a late run sells no time already past
        Assert.Equal((SubscriptionStatus.Active, 2), (renewed.Status, await app.ChargesAsync(id)));
        Assert.Equal(5_000, await app.BalanceAsync(fan.UserId));

        await app.RenewDueAsync(renewed.ExpiresAt);
        var ended = await app.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.InsufficientFunds, renewed.ExpiresAt),
            (ended.Status, ended.EndReason, ended.EndedAt));
        Assert.Equal(5_000, await app.BalanceAsync(fan.UserId));
        var mine = (await (await fan.Client.GetAsync("/api/subscription/mine")).JsonAsync()).GetProperty("items")[0];
        Assert.Equal(("expired", "insufficient_funds", false),
            (mine.GetProperty("status").GetString(), mine.GetProperty("endReason").GetString(),
                mine.GetProperty("hasAccess").GetBoolean()));
        Assert.False((await (await fan.Client.GetAsync($"/api/subscription/check/{creator.UserId}")).JsonAsync())
            .GetProperty("subscribed").GetBoolean());

        // Ended for good: a new subscription is a new row.
        await fan.Client.PostAsync($"/api/subscription/{id}/renew", null)
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "SUBSCRIPTION_ENDED");
        await fan.Client.PostAsync($"/api/subscription/{id}/cancel", null)
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "SUBSCRIPTION_ENDED");
        await fan.Client.PutAsJsonAsync($"/api/subscription/{id}/auto-renew", new { autoRenew = true })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "SUBSCRIPTION_ENDED");
        await app.FundAsync(fan, 10_000);
        Assert.NotEqual(id, (await fan.SubscribedAsync(creator.UserId)).Id());
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Renewal_charges_the_agreed_price_and_ends_when_the_plan_is_withdrawn_or_payment_refused()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync(("monthly", 10_000), ("yearly", 90_000));
        var (fan, frozen) = (await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(fan, 100_000);
        await app.FundAsync(frozen, 100_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();
        var frozenId = (await frozen.SubscribedAsync(creator.UserId, "yearly")).Id();
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 12_000), ("yearly", 90_000))).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{frozen.UserId}/freeze", new { reason = "chargeback" })).StatusCode);

        var at = (await app.SubscriptionAsync(frozenId)).ExpiresAt;
        await app.RenewDueAsync(at);
        Assert.Equal((10_000L, 2), ((await app.SubscriptionAsync(id)).Price, await app.ChargesAsync(id))); // the raise needs consent
        Assert.Equal(80_000, await app.BalanceAsync(fan.UserId));
        var refused = await app.SubscriptionAsync(frozenId);
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.PaymentRefused), (refused.Status, refused.EndReason));
        Assert.Equal(10_000, await app.BalanceAsync(frozen.UserId));
        Assert.True(await app.WithDbAsync(db => db.AuditLogs.AnyAsync(l => l.Action == "fraud.wallet_frozen"
            && l.EntityId == frozen.UserId.ToString())));

        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("yearly", 90_000))).StatusCode);
        await app.RenewDueAsync((await app.SubscriptionAsync(id)).ExpiresAt);
        var withdrawn = await app.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.PlanUnavailable, 2),
            (withdrawn.Status, withdrawn.EndReason, await app.ChargesAsync(id)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_expiry_job_ends_subscriptions_that_will_not_renew_once_their_time_is_up()
    {
        var creator = await app.CreatorAsync(("monthly", 10_000));
        var fans = new[] { await app.RegisterAsync(), await app.RegisterAsync(), await app.RegisterAsync() };
        var ids = new List<Guid>();
        foreach (var fan in fans)
        {
            await app.FundAsync(fan, 10_000);
            ids.Add((await fan.SubscribedAsync(creator.UserId)).Id());
        }

        Assert.Equal(HttpStatusCode.OK, (await fans[0].Client.PostAsync($"/api/subscription/{ids[0]}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await fans[1].Client.PutAsJsonAsync($"/api/subscription/{ids[1]}/auto-renew", new { autoRenew = false })).StatusCode);
        var expiry = (await app.SubscriptionAsync(ids[0])).ExpiresAt;

        await app.ExpireLapsedAsync(expiry.AddSeconds(-1));
        Assert.All(await Task.WhenAll(ids.Select(app.SubscriptionAsync)), s => Assert.NotEqual(SubscriptionStatus.Expired, s.Status));

        await app.ExpireLapsedAsync(expiry.AddDays(1));
        var rows = await Task.WhenAll(ids.Select(app.SubscriptionAsync));
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.Lapsed), (rows[0].Status, rows[0].EndReason));
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.Lapsed), (rows[1].Status, rows[1].EndReason));
        Assert.Equal(rows[0].ExpiresAt, rows[0].EndedAt);
        Assert.Equal((SubscriptionStatus.Active, true), (rows[2].Status, rows[2].AutoRenew)); // the renewal job's to charge or end
        Assert.Equal(3 * 8_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending)); // ending moves no money
    }
}

public sealed class RenewalJobTestsOnPostgres(App<Postgres, Defaults> app) : RenewalJobTests<App<Postgres, Defaults>>(app);

public sealed class RenewalJobTestsOnSqlite(App<Sqlite, Defaults> app) : RenewalJobTests<App<Sqlite, Defaults>>(app);
