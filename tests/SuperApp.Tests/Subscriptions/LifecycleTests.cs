using System.Net;
using System.Net.Http.Json;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

/// <summary>Renew, cancel and auto-renew by the subscriber.</summary>
public abstract class LifecycleTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Renewing_early_extends_from_the_current_expiry_at_the_agreed_price()
    {
        var creator = await app.CreatorAsync(("quarterly", 30_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 100_000);
        var id = (await fan.SubscribedAsync(creator.UserId, "quarterly")).Id();
        var before = await app.SubscriptionAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("quarterly", 45_000))).StatusCode);

        var renew = await fan.Client.PostAsync($"/api/subscription/{id}/renew", null);
        Assert.Equal(HttpStatusCode.OK, renew.StatusCode);
        var body = await renew.JsonAsync();
        Assert.Equal((30_000L, 40_000L), (body.GetProperty("amount").GetInt64(), body.GetProperty("balance").GetInt64()));
        var after = await app.SubscriptionAsync(id);
        Assert.Equal(before.ExpiresAt.AddDays(90), after.ExpiresAt);
        Assert.Equal(30_000, after.Price);
        Assert.Equal(2, await app.ChargesAsync(id));
        Assert.Equal(48_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Renew_errors()
    {
        var creator = await app.CreatorAsync(("monthly", 20_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 30_000);
        var other = await app.RegisterAsync();
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();

        await other.Client.PostAsync($"/api/subscription/{id}/renew", null)
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "SUBSCRIPTION_NOT_FOUND");
        await fan.Client.PostAsync($"/api/subscription/{Guid.NewGuid()}/renew", null)
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "SUBSCRIPTION_NOT_FOUND");
        await fan.Client.PostAsync($"/api/subscription/{id}/renew", null)
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("yearly", 20_000))).StatusCode);
        await fan.Client.PostAsync($"/api/subscription/{id}/renew", null)
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "PLAN_UNAVAILABLE");
        Assert.Equal(1, await app.ChargesAsync(id));
        Assert.Equal(10_000, await app.BalanceAsync(fan.UserId));
    }

    [Fact]
    public async Task Cancelling_stops_auto_renew_but_keeps_access_until_expiry()
    {
        var creator = await app.CreatorAsync(("monthly", 20_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 20_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();

        var cancel = await fan.Client.PostAsync($"/api/subscription/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var view = await cancel.JsonAsync();
        Assert.Equal(("cancelled", false, true),
            (view.GetProperty("status").GetString(), view.GetProperty("autoRenew").GetBoolean(),
                view.GetProperty("hasAccess").GetBoolean()));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, view.GetProperty("cancelledAt").ValueKind);
        var check = await (await fan.Client.GetAsync($"/api/subscription/check/{creator.UserId}")).JsonAsync();
        Assert.True(check.GetProperty("subscribed").GetBoolean());

        await fan.Client.PostAsync($"/api/subscription/{id}/cancel", null)
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_CANCELLED");
        await creator.Client.PostAsync($"/api/subscription/{id}/cancel", null)
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "SUBSCRIPTION_NOT_FOUND");
        await fan.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_SUBSCRIBED");
        Assert.Equal(1, await app.ChargesAsync(id));
    }

    [Fact]
    public async Task Auto_renew_can_be_switched_off_and_on_again_which_undoes_a_cancel()
    {
        var creator = await app.CreatorAsync(("monthly", 20_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 20_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();

        var off = await (await fan.Client.PutAsJsonAsync($"/api/subscription/{id}/auto-renew", new { autoRenew = false })).JsonAsync();
        Assert.Equal(("active", false), (off.GetProperty("status").GetString(), off.GetProperty("autoRenew").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, (await fan.Client.PostAsync($"/api/subscription/{id}/cancel", null)).StatusCode);
        var on = await (await fan.Client.PutAsJsonAsync($"/api/subscription/{id}/auto-renew", new { autoRenew = true })).JsonAsync();
        Assert.Equal(("active", true), (on.GetProperty("status").GetString(), on.GetProperty("autoRenew").GetBoolean()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, on.GetProperty("cancelledAt").ValueKind);

        await fan.Client.PutAsJsonAsync($"/api/subscription/{id}/auto-renew", new { })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await creator.Client.PutAsJsonAsync($"/api/subscription/{id}/auto-renew", new { autoRenew = false })
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "SUBSCRIPTION_NOT_FOUND");
    }
}

public sealed class LifecycleTestsOnPostgres(App<Postgres, Defaults> app) : LifecycleTests<App<Postgres, Defaults>>(app);

public sealed class LifecycleTestsOnSqlite(App<Sqlite, Defaults> app) : LifecycleTests<App<Sqlite, Defaults>>(app);
