using System.Net;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

/// <summary>GET mine, check and subscribers.</summary>
public abstract class ListTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_subscriber_sees_their_subscriptions_and_checks_access_per_creator()
    {
        var (first, second, third) = (await app.CreatorAsync(("monthly", 10_000)), await app.CreatorAsync(("yearly", 20_000)),
            await app.CreatorAsync(("monthly", 5_000)));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 30_000);
        await fan.SubscribedAsync(first.UserId);
        var yearly = (await fan.SubscribedAsync(second.UserId, "yearly")).Id();

        var mine = await (await fan.Client.GetAsync("/api/subscription/mine?limit=1")).JsonAsync();
        var newest = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(yearly, newest.Id());
        Assert.Equal(second.UserId, newest.GetProperty("creator").GetProperty("id").GetGuid());
        Assert.Equal(fan.Username, newest.GetProperty("subscriber").GetProperty("username").GetString());
        var next = await (await fan.Client.GetAsync($"/api/subscription/mine?limit=1&cursor={mine.GetProperty("nextCursor").GetString()}"))
            .JsonAsync();
        Assert.Equal(first.UserId, Assert.Single(next.GetProperty("items").EnumerateArray()).GetProperty("creator").GetProperty("id")
            .GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, next.GetProperty("nextCursor").ValueKind);
        Assert.Empty((await (await fan.Client.GetAsync("/api/subscription/mine?status=expired")).JsonAsync()).GetProperty("items")
            .EnumerateArray());
        await fan.Client.GetAsync("/api/subscription/mine?status=paused")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await fan.Client.GetAsync("/api/subscription/mine?cursor=%%%")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");

        var yes = await (await fan.Client.GetAsync($"/api/subscription/check/{second.UserId}")).JsonAsync();
        Assert.True(yes.GetProperty("subscribed").GetBoolean());
        Assert.Equal(yearly, yes.GetProperty("subscription").Id());
        var no = await (await fan.Client.GetAsync($"/api/subscription/check/{third.UserId}")).JsonAsync();
        Assert.False(no.GetProperty("subscribed").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, no.GetProperty("subscription").ValueKind);
        await fan.Client.GetAsync($"/api/subscription/check/{Guid.NewGuid()}")
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "CREATOR_NOT_FOUND");
    }

    [Fact]
    public async Task A_creator_lists_subscribers_with_active_total_and_revenue()
    {
        var creator = await app.CreatorAsync(("monthly", 10_001), ("yearly", 100_000));
        var fans = new[] { await app.RegisterAsync(), await app.RegisterAsync(), await app.RegisterAsync() };
        foreach (var fan in fans)
        {
            await app.FundAsync(fan, 200_000);
        }

        var monthly = (await fans[0].SubscribedAsync(creator.UserId)).Id();
        await fans[1].SubscribedAsync(creator.UserId, "yearly");
        var cancelledId = (await fans[2].SubscribedAsync(creator.UserId)).Id();
        Assert.Equal(HttpStatusCode.OK, (await fans[2].Client.PostAsync($"/api/subscription/{cancelledId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fans[0].Client.PostAsync($"/api/subscription/{monthly}/renew", null)).StatusCode);

        var page = await (await creator.Client.GetAsync("/api/subscription/subscribers?limit=2")).JsonAsync();
        var stats = page.GetProperty("stats");
        // Creator shares: 10,001 − 2,000 (twice), 100,000 − 20,000, 10,001 − 2,000.
        Assert.Equal((3, 3, 8_001L * 3 + 80_000),
            (stats.GetProperty("active").GetInt32(), stats.GetProperty("total").GetInt32(), stats.GetProperty("revenue").GetInt64()));
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(fans[2].Username, page.GetProperty("items")[0].GetProperty("subscriber").GetProperty("username").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        var cancelled = await (await creator.Client.GetAsync("/api/subscription/subscribers?status=cancelled")).JsonAsync();
        Assert.Equal(fans[2].UserId, Assert.Single(cancelled.GetProperty("items").EnumerateArray()).GetProperty("subscriber")
            .GetProperty("id").GetGuid());

        Assert.Equal(HttpStatusCode.Forbidden, (await fans[0].Client.GetAsync("/api/subscription/subscribers")).StatusCode);
        var empty = await (await (await app.CreatorAsync(("monthly", 10_000))).Client.GetAsync("/api/subscription/subscribers"))
            .JsonAsync();
        Assert.Equal((0, 0, 0L),
            (empty.GetProperty("stats").GetProperty("active").GetInt32(), empty.GetProperty("stats").GetProperty("total").GetInt32(),
            empty.GetProperty("stats").GetProperty("revenue").GetInt64()));
    }
}

public sealed class ListTestsOnPostgres(App<Postgres, Defaults> app) : ListTests<App<Postgres, Defaults>>(app);

public sealed class ListTestsOnSqlite(App<Sqlite, Defaults> app) : ListTests<App<Sqlite, Defaults>>(app);
