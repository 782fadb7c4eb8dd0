using System.Net;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Creators;

public abstract class RevenueTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Revenue_adds_up_creator_shares_by_source_from_the_ledger()
    {
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 1_000_000);
        Assert.Equal(HttpStatusCode.Created, (await fan.GiftAsync(creator.UserId, "star", 2)).StatusCode);
        await app.EarnAsync(TransactionKind.Unlock, fan.UserId, creator.UserId, 35_000, 15_000);
        await app.EarnAsync(TransactionKind.Subscription, fan.UserId, creator.UserId, 80_000, 20_000);

        var revenue = await creator.GetJsonAsync("/api/creator/revenue");
        Assert.Equal((295_000L, 0L, 295_000L, 35_000L, 80_000L, 180_000L), revenue.Revenue());
        Assert.Equal("IDR", revenue.GetProperty("currency").GetString());
        Assert.Equal(295_000, (await creator.GetJsonAsync("/api/wallet/balance")).GetProperty("pendingEarnings").GetInt64());

        var newcomer = await app.CreatorAsync();
        Assert.Equal((0L, 0L, 0L, 0L, 0L, 0L), (await newcomer.GetJsonAsync("/api/creator/revenue")).Revenue());
        Assert.Empty((await newcomer.GetJsonAsync("/api/creator/revenue/history")).GetProperty("items").EnumerateArray());
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Creator_routes_are_for_creators_and_admins_only()
    {
        var plain = await app.RegisterAsync();
        var admin = await app.AdminAsync();
        foreach (var path in new[] { "/api/creator/revenue", "/api/creator/revenue/history", "/api/creator/revenue/chart" })
        {
            await plain.Client.GetAsync(path).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task History_pages_the_pending_account_with_a_cursor_and_a_kind_filter()
    {
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 1_000_000);
        await fan.GiftAsync(creator.UserId, "rose");
        await app.EarnAsync(TransactionKind.Unlock, fan.UserId, creator.UserId, 7_000, 3_000);
        await fan.GiftAsync(creator.UserId, "coffee");

        var first = await creator.GetJsonAsync("/api/creator/revenue/history?limit=2");
        var lines = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([("gift", 45_000L, 61_000L), ("unlock", 7_000L, 16_000L)],
            lines.Select(l => (l.GetProperty("kind").GetString(), l.GetProperty("amount").GetInt64(), l.GetProperty("balanceAfter")
                .GetInt64())));
        Assert.Equal(fan.UserId, lines[0].GetProperty("counterparty").GetProperty("id").GetGuid());
        var rest = await creator.GetJsonAsync($"/api/creator/revenue/history?limit=2&cursor={first.GetProperty("nextCursor").GetString()}");
        Assert.Equal([9_000L], rest.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("amount").GetInt64()));

        var gifts = await creator.GetJsonAsync("/api/creator/revenue/history?kind=gift");
        Assert.Equal(2, gifts.GetProperty("items").GetArrayLength());
        await creator.Client.GetAsync("/api/creator/revenue/history?kind=bonus")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await creator.Client.GetAsync("/api/creator/revenue/history?cursor=%%%")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task The_chart_sums_each_calendar_month_by_source()
    {
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 1_000_000);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var mid = new DateTime(now.Year, now.Month, 15, 12, 0, 0, DateTimeKind.Utc).AddMonths(1);
        app.Clock.Advance(mid - now);
        (fan, creator) = (await app.LoginAsync(fan), await app.LoginAsync(creator)); // weeks on, their tokens have expired
        await fan.GiftAsync(creator.UserId, "star");
        await app.EarnAsync(TransactionKind.Subscription, fan.UserId, creator.UserId, 8_000, 2_000);
        var thisMonth = await creator.GetJsonAsync("/api/creator/revenue/chart?months=2");
        Assert.Equal(2, thisMonth.GetProperty("months").GetInt32());
        Assert.Equal([(Key(mid.AddMonths(-1)), 0L, 0L, 0L, 0L), (Key(mid), 0L, 8_000L, 90_000L, 98_000L)], Months(thisMonth));
        Assert.Equal(6, (await creator.GetJsonAsync("/api/creator/revenue/chart")).GetProperty("items").GetArrayLength());

        var month = TimeSpan.FromDays(31);
        app.Clock.Advance(month);
        creator = await app.LoginAsync(creator);
        await app.EarnAsync(TransactionKind.Unlock, fan.UserId, creator.UserId, 700, 300);
        var later = await creator.GetJsonAsync("/api/creator/revenue/chart?months=3");
        var laterNow = mid + month;
        Assert.Equal([(Key(laterNow.AddMonths(-2)), 0L, 0L, 0L, 0L), (Key(mid), 0L, 8_000L, 90_000L, 98_000L),
            (Key(laterNow), 700L, 0L, 0L, 700L)], Months(later));
        Assert.Equal([(Key(laterNow), 700L, 0L, 0L, 700L)], Months(await creator.GetJsonAsync("/api/creator/revenue/chart?months=1")));

        foreach (var months in new[] { "0", "25", "x" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await creator.Client.GetAsync($"/api/creator/revenue/chart?months={months}"))
                .StatusCode);
        }
    }

    private static string Key(DateTime month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private static List<(string?, long, long, long, long)> Months(System.Text.Json.JsonElement chart) =>
        [.. chart.GetProperty("items").EnumerateArray()
            .Select(m => (m.GetProperty("month").GetString(), m.GetProperty("unlocks").GetInt64(),
            m.GetProperty("subscriptions").GetInt64(), m.GetProperty("gifts").GetInt64(), m.GetProperty("total").GetInt64()))];
}

public sealed class RevenueTestsOnPostgres(App<Postgres, Defaults> app) : RevenueTests<App<Postgres, Defaults>>(app);

public sealed class RevenueTestsOnSqlite(App<Sqlite, Defaults> app) : RevenueTests<App<Sqlite, Defaults>>(app);
