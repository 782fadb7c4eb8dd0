using System.Net;
using System.Text.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Gifts;

public abstract class LeaderboardTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Boards_rank_receivers_and_senders_by_total_with_ties_sharing_a_rank()
    {
        var (fan1, fan2) = (await app.RegisterAsync(), await app.RegisterAsync());
        var (c1, c2, c3) = (await app.CreatorAsync(), await app.CreatorAsync(), await app.CreatorAsync());
        await app.FundAsync(fan1, 5_000_000);
        await app.FundAsync(fan2, 5_000_000);
        foreach (var (from, to, type, quantity) in new[]
        {
            (fan1, c1, "crown", 2), (fan1, c2, "star", 2), (fan2, c2, "diamond", 1), (fan2, c3, "diamond", 1), (fan2, c3, "star", 2),
        })
        {
            Assert.Equal(HttpStatusCode.Created, (await from.GiftAsync(to.UserId, type, quantity)).StatusCode);
        }

        var receivers = await BoardAsync(fan1, "?period=all&board=receivers");
        Assert.Equal(("all", "receivers"), (receivers.GetProperty("period").GetString(), receivers.GetProperty("board").GetString()));
        var top = Items(receivers).Take(3).ToList();
        Assert.Equal([(1, c1.UserId, 2_000_000L, 2L)], top.Take(1).Select(Entry));
        Assert.Equal([(2, 700_000L, 3L), (2, 700_000L, 3L)], top.Skip(1).Select(i => (Entry(i).Item1, Entry(i).Item3, Entry(i).Item4)));
        Assert.Equal([c2.UserId, c3.UserId], top.Skip(1).Select(i => Entry(i).Item2).Order());
        Assert.Equal(c1.Username, top[0].GetProperty("user").GetProperty("username").GetString());

        var senders = Items(await BoardAsync(c1, "?period=all&board=senders")).Take(2).Select(Entry).ToList();
        Assert.Equal([(1, fan1.UserId, 2_200_000L, 4L), (2, fan2.UserId, 1_200_000L, 4L)], senders);

        Assert.Single(Items(await BoardAsync(fan1, "?period=all&limit=1")));
        Assert.Equal(Items(receivers).Count, Items(await BoardAsync(fan1, "")).Count);
    }

    [Fact]
    public async Task Each_period_counts_only_its_own_gifts()
    {
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 100_000);
        var now = app.Clock.GetUtcNow();
        var firstOfNextMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        app.Clock.Advance(firstOfNextMonth.AddMinutes(1) - now.UtcDateTime);
        fan = await app.LoginAsync(fan); // days on, the earlier access token has expired
        Assert.Equal(HttpStatusCode.Created, (await fan.GiftAsync(creator.UserId, "rose", 2)).StatusCode);
        foreach (var period in new[] { "day", "week", "month", "all" })
        {
            var board = await BoardAsync(fan, $"?period={period}&limit=100");
            Assert.Contains((creator.UserId, 20_000L, 2L), Items(board).Select(i => (Entry(i).Item2, Entry(i).Item3, Entry(i).Item4)));
        }

        Assert.Equal(firstOfNextMonth, (await BoardAsync(fan, "?period=month")).GetProperty("periodStart").GetDateTime());
        Assert.Equal(firstOfNextMonth, (await BoardAsync(fan, "?period=day")).GetProperty("periodStart").GetDateTime());

        // Weeks start on Monday: from a Sunday the next day is already another week.
        var sunday = firstOfNextMonth.DayOfWeek == DayOfWeek.Sunday;
        var expected = new (int Days, string[] Gone)[]
        {
            (1, sunday ? ["day", "week"] : ["day"]),
            (7, ["day", "week"]),
            (31, ["day", "week", "month"]),
        };
        var moved = 0;
        foreach (var (days, gone) in expected)
        {
            app.Clock.Advance(TimeSpan.FromDays(days - moved));
            moved = days;
            fan = await app.LoginAsync(fan);
            foreach (var period in new[] { "day", "week", "month", "all" })
            {
                var listed = Items(await BoardAsync(fan, $"?period={period}&limit=100")).Any(i => Entry(i).Item2 == creator.UserId);
                Assert.True(listed != gone.Contains(period), $"{period} board {days} days later");
            }
        }
    }

    [Fact]
    public async Task Bad_leaderboard_queries_are_validation_errors()
    {
        var s = await app.RegisterAsync();
        foreach (var query in new[] { "?period=year", "?period=1", "?board=fans", "?limit=0", "?limit=101", "?limit=x" })
        {
            var response = await s.Client.GetAsync("/api/gift/leaderboard" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        await s.Client.GetAsync("/api/gift/leaderboard?period=year").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/gift/leaderboard")).StatusCode);
    }

    private static async Task<JsonElement> BoardAsync(Session s, string query)
    {
        var response = await s.Client.GetAsync("/api/gift/leaderboard" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static List<JsonElement> Items(JsonElement board) => [.. board.GetProperty("items").EnumerateArray()];

    private static (int, Guid, long, long) Entry(JsonElement i) => (i.GetProperty("rank").GetInt32(),
        i.GetProperty("user").GetProperty("id").GetGuid(), i.GetProperty("total").GetInt64(), i.GetProperty("count").GetInt64());
}

public sealed class LeaderboardTestsOnPostgres(App<Postgres, Defaults> app) : LeaderboardTests<App<Postgres, Defaults>>(app);

public sealed class LeaderboardTestsOnSqlite(App<Sqlite, Defaults> app) : LeaderboardTests<App<Sqlite, Defaults>>(app);
