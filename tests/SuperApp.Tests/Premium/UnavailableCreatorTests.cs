using System.Net;
using System.Net.Http.Json;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Subscriptions;

namespace SuperApp.Tests.Premium;

/// <summary>
/// A creator who is deleted or suspended stops selling at once (DESIGN 3.1): browse, unlock,
/// subscribe, renew (by hand and by the job) and gifts, while the period already paid runs to its end.
/// </summary>
public abstract class UnavailableCreatorTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Theory]
    [InlineData("deleted")]
    [InlineData("suspended")]
    public async Task A_creator_no_longer_active_sells_nothing_and_their_subscriptions_end_at_expiry(string how)
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync(("monthly", 1_000));
        var (buyer, subscriber, late) = (await app.RegisterAsync(), await app.RegisterAsync(), await app.RegisterAsync());
        foreach (var fan in new[] { buyer, subscriber, late })
        {
            await app.FundAsync(fan, 100_000);
        }

        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(content)).StatusCode);
        var id = (await subscriber.SubscribedAsync(creator.UserId)).Id();
        var earnings = await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending);

        var ended = how == "deleted"
            ? await creator.Client.DeleteAsync("/api/users/me")
            : await admin.Client.PatchAsJsonAsync($"/api/admin/users/{creator.UserId}", new { status = "suspended" });
        Assert.True(ended.IsSuccessStatusCode, ended.StatusCode.ToString());

        var browse = await (await late.Client.GetAsync($"/api/premium/browse?creator={creator.UserId}")).JsonAsync();
        Assert.Empty(browse.GetProperty("items").EnumerateArray());
        var all = await (await late.Client.GetAsync("/api/premium/browse?limit=100")).JsonAsync();
        Assert.DoesNotContain(content, all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        // An erased creator's content is removed like a deleted post; a suspended one's is unknown to those who paid nothing.
        var (status, code) = how == "deleted" ? (HttpStatusCode.Gone, "CONTENT_DELETED") : (HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await late.UnlockAsync(content).ShouldBeProblemAsync(status, code);
        await late.Client.GetAsync($"/api/premium/{content}").ShouldBeProblemAsync(status, code);
        await late.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CREATOR_NOT_FOUND");
        await late.Client.GetAsync($"/api/subscription/plans/{creator.UserId}")
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "CREATOR_NOT_FOUND");
        await late.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await subscriber.Client.PostAsync($"/api/subscription/{id}/renew", null)
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "CREATOR_UNAVAILABLE");
        await subscriber.Client.PostAsJsonAsync($"/api/subscription/{id}/renew", new { expectedPrice = 1_000 })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "CREATOR_UNAVAILABLE");

        // The period paid for runs to its end: access stays, but nothing will renew it.
        var mine = (await (await subscriber.Client.GetAsync("/api/subscription/mine")).JsonAsync()).GetProperty("items")[0];
        Assert.True(mine.GetProperty("hasAccess").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, mine.GetProperty("nextPrice").ValueKind);
        var expiry = (await app.SubscriptionAsync(id)).ExpiresAt;
        var run = await app.RenewDueAsync(expiry);
        Assert.Equal((0, 1), (run.Renewed, run.Expired));
        var sub = await app.SubscriptionAsync(id);
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.CreatorUnavailable), (sub.Status, sub.EndReason));
        Assert.Equal(expiry, sub.EndedAt);
        Assert.Equal(1, await app.ChargesAsync(id));

        // A buyer keeps what they paid for while the creator is only suspended; erasure removes it.
        var kept = await buyer.Client.GetAsync($"/api/premium/{content}");
        Assert.Equal(how == "deleted" ? HttpStatusCode.Gone : HttpStatusCode.OK, kept.StatusCode);

        Assert.Equal((90_000L, 99_000L, 100_000L), (await app.BalanceAsync(buyer.UserId), await app.BalanceAsync(subscriber.UserId),
            await app.BalanceAsync(late.UserId)));
        Assert.Equal(earnings, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_lifted_suspension_lets_the_creator_sell_again()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync();
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 20_000);
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var suspend = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{creator.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        await fan.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");

        var lift = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{creator.UserId}", new { status = "active" });
        Assert.Equal(HttpStatusCode.OK, lift.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await fan.UnlockAsync(content)).StatusCode);
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class UnavailableCreatorTestsOnPostgres(App<Postgres, PremiumSettings> app)
    : UnavailableCreatorTests<App<Postgres, PremiumSettings>>(app);

public sealed class UnavailableCreatorTestsOnSqlite(App<Sqlite, PremiumSettings> app)
    : UnavailableCreatorTests<App<Sqlite, PremiumSettings>>(app);
