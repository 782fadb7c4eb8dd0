using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Idempotency;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

public abstract class UnlockTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Unlocks_split_awkward_prices_exactly_between_creator_and_platform()
    {
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        long[] prices = [500, 501, 503, 777, 999, 3_333, 12_345, 99_999, 1_000_001];
        await app.FundAsync(buyer, prices.Sum());

        foreach (var price in prices)
        {
            var id = await creator.CreateContentAsync(PremiumApi.Draft(price: price));
            var (wallet, pending, platform) = await BalancesAsync(buyer.UserId, creator.UserId);

            var response = await buyer.UnlockAsync(id);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = await response.JsonAsync();
            var fee = price * 3_000 / 10_000;
            Assert.Equal(price, body.GetProperty("amount").GetInt64());
            Assert.Equal(fee, body.GetProperty("platformFee").GetInt64());
            Assert.Equal(price - fee, body.GetProperty("creatorShare").GetInt64());
            Assert.Equal(wallet - price, body.GetProperty("balance").GetInt64());
            Assert.Equal((wallet - price, pending + price - fee, platform + fee), await BalancesAsync(buyer.UserId, creator.UserId));
        }

        Assert.Equal(0, await app.BalanceAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Unlock_errors_move_no_money()
    {
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 20_000);
        var paid = await creator.CreateContentAsync(PremiumApi.Draft(price: 15_000));
        var pricey = await creator.CreateContentAsync(PremiumApi.Draft(price: 20_001));
        var draft = await creator.CreateContentAsync(publish: false);
        var subscribers = await creator.CreateContentAsync(PremiumApi.Draft(price: 5_000, subscriberOnly: true));
        var free = await creator.CreateContentAsync(PremiumApi.Draft(price: 0));

        await creator.UnlockAsync(paid).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "OWN_CONTENT");
        await buyer.UnlockAsync(draft).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await buyer.UnlockAsync(Guid.NewGuid()).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await buyer.UnlockAsync(subscribers).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "SUBSCRIPTION_REQUIRED");
        await buyer.UnlockAsync(free).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "CONTENT_IS_FREE");
        await buyer.UnlockAsync(pricey).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");
        await buyer.Client.PostAsJsonAsync("/api/premium/unlock", new { })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(20_000, await app.BalanceAsync(buyer.UserId));

        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(paid)).StatusCode);
        await buyer.UnlockAsync(paid).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        await buyer.Client.PostAsync($"/api/premium/{paid}/unlock", null)
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        Assert.Equal(5_000, await app.BalanceAsync(buyer.UserId));

        // A refusal that came from a unique-index violation (an aborted transaction on PostgreSQL)
        // is still stored as the key's answer and replayed.
        await buyer.Client.SendAsync(PremiumApi.Unlock(paid, "second-unlock"))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        var replayed = await buyer.Client.SendAsync(PremiumApi.Unlock(paid, "second-unlock"));
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());

        var keyless = app.CreateClient();
        keyless.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", buyer.AccessToken);
        await keyless.PostAsJsonAsync("/api/premium/unlock", new { contentId = paid })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "IDEMPOTENCY_KEY_REQUIRED");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_alias_route_unlocks_and_a_retry_with_the_same_key_replays_without_charging_again()
    {
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 30_000);
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 12_000));
        var key = Guid.NewGuid().ToString();

        HttpRequestMessage Request()
        {
            var r = new HttpRequestMessage(HttpMethod.Post, $"/api/premium/{id}/unlock");
            r.Headers.Add(IdempotencyFilter.Header, key);
            return r;
        }

        var first = await buyer.Client.SendAsync(Request());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var retry = await buyer.Client.SendAsync(Request());
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(retry.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(18_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(1, (await (await buyer.Client.GetAsync($"/api/premium/{id}")).JsonAsync()).GetProperty("unlockCount").GetInt64());
    }

    [Fact]
    public async Task Access_status_says_who_may_see_the_media_and_why()
    {
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        await app.FundAsync(buyer, 10_000);
        var paid = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var subscribers = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000, subscriberOnly: true));
        var free = await creator.CreateContentAsync(PremiumApi.Draft(price: 0));
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(paid)).StatusCode);

        async Task<(string Status, bool HasAccess, string Reason)> Ask(Session who, Guid id)
        {
            var details = await (await who.Client.GetAsync($"/api/premium/{id}")).JsonAsync();
            var access = await (await who.Client.GetAsync($"/api/premium/{id}/access")).JsonAsync();
            return (details.GetProperty("accessStatus").GetString()!, access.GetProperty("hasAccess").GetBoolean(),
                access.GetProperty("reason").GetString()!);
        }

        Assert.Equal(("creator", true, "creator"), await Ask(creator, paid));
        Assert.Equal(("unlocked", true, "unlocked"), await Ask(buyer, paid));
        Assert.Equal(("locked", false, "locked"), await Ask(stranger, paid));
        Assert.Equal(("locked", false, "locked"), await Ask(buyer, subscribers));
        Assert.Equal(("free", true, "free"), await Ask(stranger, free));
        Assert.True((await (await stranger.Client.GetAsync($"/api/premium/{subscribers}/access")).JsonAsync())
            .GetProperty("subscriberOnly").GetBoolean());

        // Taking content off sale does not take it from those who bought it.
        await creator.Client.PostAsync($"/api/premium/{paid}/unpublish", null);
        Assert.Equal(("unlocked", true, "unlocked"), await Ask(buyer, paid));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/premium/{paid}/access")).StatusCode);
        await stranger.UnlockAsync(paid).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
    }

    [Fact]
    public async Task Buyers_list_what_they_unlocked_newest_first_with_a_cursor()
    {
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 30_000);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await creator.CreateContentAsync(PremiumApi.Draft(price: 1_000 * (i + 1))));
            Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(ids[^1])).StatusCode);
        }

        var first = await (await buyer.Client.GetAsync("/api/premium/unlocked?limit=2")).JsonAsync();
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("content").GetProperty("id").GetGuid()));
        Assert.All(first.GetProperty("items").EnumerateArray(),
            i => Assert.Equal("unlocked", i.GetProperty("content").GetProperty("accessStatus").GetString()));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await buyer.Client.GetAsync($"/api/premium/unlocked?limit=2&cursor={cursor}")).JsonAsync();
        var last = Assert.Single(second.GetProperty("items").EnumerateArray());
        Assert.Equal(ids[0], last.GetProperty("content").GetProperty("id").GetGuid());
        Assert.Equal(1_000, last.GetProperty("pricePaid").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        await buyer.Client.GetAsync("/api/premium/unlocked?cursor=%%%")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Empty((await (await creator.Client.GetAsync("/api/premium/unlocked")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    private async Task<(long Wallet, long Pending, long Platform)> BalancesAsync(Guid buyer, Guid creator) => (
        await app.BalanceAsync(buyer),
        await app.BalanceAsync(creator, AccountKind.EarningsPending),
        await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue));

}

public sealed class UnlockTestsOnPostgres(App<Postgres, PremiumSettings> app) : UnlockTests<App<Postgres, PremiumSettings>>(app);

public sealed class UnlockTestsOnSqlite(App<Sqlite, PremiumSettings> app) : UnlockTests<App<Sqlite, PremiumSettings>>(app);
