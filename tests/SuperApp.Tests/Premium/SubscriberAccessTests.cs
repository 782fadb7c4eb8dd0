using System.Net;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Subscriptions;

namespace SuperApp.Tests.Premium;

/// <summary>Premium content and subscriptions together: subscriber-only content opens with a live subscription.</summary>
public abstract class SubscriberAccessTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_subscription_opens_subscriber_only_content_without_buying_it()
    {
        var creator = await app.CreatorAsync();
        (await creator.SetPlansAsync(("monthly", 20_000))).EnsureSuccessStatusCode();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 5_000, subscriberOnly: true));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 100_000);

        var before = await (await fan.Client.GetAsync($"/api/premium/{content}")).JsonAsync();
        Assert.Equal("locked", before.GetProperty("accessStatus").GetString());

        Assert.Equal(HttpStatusCode.Created, (await fan.SubscribeAsync(creator.UserId)).StatusCode);

        var after = await (await fan.Client.GetAsync($"/api/premium/{content}")).JsonAsync();
        Assert.Equal("subscription", after.GetProperty("accessStatus").GetString());
        var access = await (await fan.Client.GetAsync($"/api/premium/{content}/access")).JsonAsync();
        Assert.True(access.GetProperty("hasAccess").GetBoolean());
        Assert.Equal(80_000, await app.BalanceAsync(fan.UserId)); // the subscription, nothing for the content
    }
}

public sealed class SubscriberAccessTestsOnPostgres(App<Postgres, PremiumSettings> app)
    : SubscriberAccessTests<App<Postgres, PremiumSettings>>(app);

public sealed class SubscriberAccessTestsOnSqlite(App<Sqlite, PremiumSettings> app)
    : SubscriberAccessTests<App<Sqlite, PremiumSettings>>(app);
