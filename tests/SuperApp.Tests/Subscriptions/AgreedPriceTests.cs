using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

/// <summary>Subscribers pay the price they agreed to (DESIGN 3.1): renewals never follow a raise without consent.</summary>
public abstract class AgreedPriceTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_manual_renewal_after_a_raise_charges_the_agreed_price_and_the_view_says_what_applies_next()
    {
        var creator = await app.CreatorAsync(("monthly", 1_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 10_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 9_000_000))).StatusCode);

        var mine = (await (await fan.Client.GetAsync("/api/subscription/mine")).JsonAsync()).GetProperty("items")[0];
        Assert.Equal((1_000L, 1_000L, 9_000_000L), Prices(mine));

        var renew = await fan.Client.PostAsync($"/api/subscription/{id}/renew", null);
        Assert.Equal(HttpStatusCode.OK, renew.StatusCode);
        var body = await renew.JsonAsync();
        Assert.Equal((1_000L, 8_000L), (body.GetProperty("amount").GetInt64(), body.GetProperty("balance").GetInt64()));
        Assert.Equal((1_000L, 1_000L, 9_000_000L), Prices(body.GetProperty("subscription")));
        Assert.Equal((1_000L, 2), ((await app.SubscriptionAsync(id)).Price, await app.ChargesAsync(id)));
        Assert.Equal(8_000, await app.BalanceAsync(fan.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_auto_renew_job_after_a_raise_charges_the_agreed_price()
    {
        var creator = await app.CreatorAsync(("monthly", 1_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 10_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 9_000_000))).StatusCode);

        var run = await app.RenewDueAsync((await app.SubscriptionAsync(id)).ExpiresAt);
        Assert.Equal(1, run.Renewed);
        var renewed = await app.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Active, 1_000L, 2), (renewed.Status, renewed.Price, await app.ChargesAsync(id)));
        Assert.Equal(8_000, await app.BalanceAsync(fan.UserId));
        Assert.Equal(2 * 800, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_lowered_price_is_charged_and_becomes_the_agreed_price()
    {
        var creator = await app.CreatorAsync(("monthly", 5_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 20_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 2_000))).StatusCode);

        await app.RenewDueAsync((await app.SubscriptionAsync(id)).ExpiresAt);
        Assert.Equal(2_000, (await app.SubscriptionAsync(id)).Price);
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 4_000))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fan.Client.PostAsync($"/api/subscription/{id}/renew", null)).StatusCode);
        Assert.Equal((2_000L, 3), ((await app.SubscriptionAsync(id)).Price, await app.ChargesAsync(id)));
        Assert.Equal(20_000 - 5_000 - 2_000 - 2_000, await app.BalanceAsync(fan.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Naming_the_new_price_moves_to_it_and_naming_another_is_409_with_nothing_charged()
    {
        var creator = await app.CreatorAsync(("monthly", 1_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 10_000_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 9_000_000))).StatusCode);

        var renew = $"/api/subscription/{id}/renew";
        var wrong = await fan.Client.PostAsJsonAsync(renew, new { expectedPrice = 1_000 })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "PRICE_CHANGED");
        Assert.Contains("9000000", wrong.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(9_000_000, wrong.Body.GetProperty("currentPrice").GetInt64());
        Assert.Equal((1_000L, 1), ((await app.SubscriptionAsync(id)).Price, await app.ChargesAsync(id)));
        Assert.Equal(9_999_000, await app.BalanceAsync(fan.UserId));

        var moved = await fan.Client.PostAsJsonAsync(renew, new { expectedPrice = 9_000_000 });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var body = await moved.JsonAsync();
        Assert.Equal(9_000_000, body.GetProperty("amount").GetInt64());
        Assert.Equal((9_000_000L, 9_000_000L, 9_000_000L), Prices(body.GetProperty("subscription")));
        Assert.Equal((9_000_000L, 2), ((await app.SubscriptionAsync(id)).Price, await app.ChargesAsync(id)));
        Assert.Equal(999_000, await app.BalanceAsync(fan.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_view_has_no_next_price_when_it_will_not_renew_and_no_plan_price_when_withdrawn()
    {
        var creator = await app.CreatorAsync(("monthly", 3_000), ("yearly", 30_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 10_000);
        var id = (await fan.SubscribedAsync(creator.UserId)).Id();

        var off = await (await fan.Client.PutAsJsonAsync($"/api/subscription/{id}/auto-renew", new { autoRenew = false })).JsonAsync();
        Assert.Equal((3_000L, (long?)null, 3_000L), PricesOrNull(off));
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("yearly", 30_000))).StatusCode);
        var on = await (await fan.Client.PutAsJsonAsync($"/api/subscription/{id}/auto-renew", new { autoRenew = true })).JsonAsync();
        Assert.Equal((3_000L, (long?)null, (long?)null), PricesOrNull(on));
        var named = fan.Client.PostAsJsonAsync($"/api/subscription/{id}/renew", new { expectedPrice = 3_000 });
        await named.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "PLAN_UNAVAILABLE");
        Assert.Equal(1, await app.ChargesAsync(id));
    }

    private static (long Price, long Next, long Plan) Prices(JsonElement view) =>
        (view.GetProperty("price").GetInt64(), view.GetProperty("nextPrice").GetInt64(), view.GetProperty("planPrice").GetInt64());

    private static (long Price, long? Next, long? Plan) PricesOrNull(JsonElement view) =>
        (view.GetProperty("price").GetInt64(), Nullable(view.GetProperty("nextPrice")), Nullable(view.GetProperty("planPrice")));

    private static long? Nullable(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt64();
}

public sealed class AgreedPriceTestsOnPostgres(App<Postgres, Defaults> app) : AgreedPriceTests<App<Postgres, Defaults>>(app);

public sealed class AgreedPriceTestsOnSqlite(App<Sqlite, Defaults> app) : AgreedPriceTests<App<Sqlite, Defaults>>(app);
