using System.Net;
using System.Text.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

public abstract class BrowseTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Browse_filters_by_category_creator_tag_and_text_and_shows_only_published_content()
    {
        var creator = await app.CreatorAsync();
        var other = await app.CreatorAsync();
        var viewer = await app.RegisterAsync();
        var token = "zq" + Guid.NewGuid().ToString("N")[..8];
        var yoga = await creator.CreateContentAsync(PremiumApi.Draft(category: "fitness", tags: [token, "yoga"],
            title: $"Morning Yoga {token.ToUpperInvariant()}"));
        var budget = await creator.CreateContentAsync(PremiumApi.Draft(category: "business", tags: [token],
            description: $"Budgeting 100% explained {token}"));
        var theirs = await other.CreateContentAsync(PremiumApi.Draft(category: "fitness", tags: [token]));
        await creator.CreateContentAsync(PremiumApi.Draft(category: "fitness", tags: [token]), publish: false);
        var deleted = await creator.CreateContentAsync(PremiumApi.Draft(category: "fitness", tags: [token]));
        await creator.Client.DeleteAsync($"/api/premium/{deleted}");

        async Task<Guid[]> Browse(string query)
        {
            var response = await viewer.Client.GetAsync("/api/premium/browse?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.JsonAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToArray();
        }

        Assert.Equal([theirs, budget, yoga], await Browse($"tag={token}"));
        Assert.Equal([budget, yoga], await Browse($"tag={token.ToUpperInvariant()}&creator={creator.UserId}"));
        Assert.Equal([theirs, yoga], await Browse($"tag={token}&category=fitness"));
        Assert.Equal([yoga], await Browse($"text=morning%20yoga%20{token}"));
        Assert.Equal([budget], await Browse($"text=100%25%20explained%20{token}"));
        Assert.Empty(await Browse($"text=100%25%25%20explained%20{token}"));
        Assert.Empty(await Browse($"tag={token}&category=music"));

        var item = (await (await viewer.Client.GetAsync($"/api/premium/browse?text={token}&category=fitness")).JsonAsync())
            .GetProperty("items")[0];
        Assert.Equal("locked", item.GetProperty("accessStatus").GetString());
        Assert.Equal(creator.Username, item.GetProperty("creator").GetProperty("username").GetString());
        Assert.Equal("creator", (await (await creator.Client.GetAsync($"/api/premium/browse?text={token}&category=fitness")).JsonAsync())
            .GetProperty("items")[0].GetProperty("accessStatus").GetString());
    }

    [Fact]
    public async Task Browse_sorts_recent_popular_and_by_price_and_pages_each_order_with_a_cursor()
    {
        var creator = await app.CreatorAsync();
        var a = await creator.CreateContentAsync(PremiumApi.Draft(price: 3_000));
        var b = await creator.CreateContentAsync(PremiumApi.Draft(price: 1_000));
        var c = await creator.CreateContentAsync(PremiumApi.Draft(price: 2_000));
        foreach (var buyer in await app.CreateFundedUsersAsync(3, 10_000))
        {
            Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(b)).StatusCode);
        }

        var fan = (await app.CreateFundedUsersAsync(1, 10_000))[0];
        Assert.Equal(HttpStatusCode.Created, (await fan.UnlockAsync(c)).StatusCode);

        async Task<Guid[]> All(string sort)
        {
            var ids = new List<Guid>();
            string? cursor = null;
            do
            {
                var after = cursor is null ? "" : "&cursor=" + cursor;
                var page = await (await creator.Client.GetAsync($"/api/premium/browse?creator={creator.UserId}&limit=2{sort}{after}"))
                    .JsonAsync();
                ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
                cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);
            return [.. ids];
        }

        Assert.Equal([c, b, a], await All(""));
        Assert.Equal([c, b, a], await All("&sort=recent"));
        Assert.Equal([b, c, a], await All("&sort=popular"));
        Assert.Equal([b, c, a], await All("&sort=price_asc"));
        Assert.Equal([a, c, b], await All("&sort=price_desc"));

        var popular = await (await creator.Client.GetAsync($"/api/premium/browse?creator={creator.UserId}&sort=popular&limit=1"))
            .JsonAsync();
        Assert.Equal(3, popular.GetProperty("items")[0].GetProperty("unlockCount").GetInt64());
        var cursorOfPopular = popular.GetProperty("nextCursor").GetString();
        await creator.Client.GetAsync($"/api/premium/browse?sort=price_asc&cursor={cursorOfPopular}")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task Browse_refuses_unknown_filters()
    {
        var viewer = await app.RegisterAsync();

        Task<HttpResponseMessage> Browse(string query) => viewer.Client.GetAsync("/api/premium/browse?" + query);

        await Browse("sort=cheapest").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Browse("sort=1").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Browse("category=gambling").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Browse("cursor=%%%").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Browse("text=" + new string('x', 101)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.Client.GetAsync("/api/premium/browse?creator=nobody")).StatusCode);
    }
}

public sealed class BrowseTestsOnPostgres(App<Postgres, PremiumSettings> app) : BrowseTests<App<Postgres, PremiumSettings>>(app);

public sealed class BrowseTestsOnSqlite(App<Sqlite, PremiumSettings> app) : BrowseTests<App<Sqlite, PremiumSettings>>(app);
