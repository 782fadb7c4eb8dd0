using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Idempotency;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

/// <summary>
/// PostgreSQL with a longer statement timeout: hundreds of unlocks of one content queue on the same
/// rows (platform revenue, the creator's earnings), and on a busy test machine the last in line can
/// wait past the 30-second default. These tests judge money, not latency.
/// </summary>
public sealed class ConcurrentUnlockSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        PremiumSettings.Configure(app);
        app.ConnectionOptions = ";Command Timeout=180";
    }
}

/// <summary>Real concurrent clients unlocking on PostgreSQL, judged by the ledger invariants afterwards.</summary>
public sealed class UnlockConcurrencyTests(App<Postgres, ConcurrentUnlockSettings> app)
    : IClassFixture<App<Postgres, ConcurrentUnlockSettings>>
{
    private static readonly RevenueSplit UnlockSplit = new RevenueOptions().Splits.Unlock;

    private static HttpRequestMessage Unlock(Guid id, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            "/api/premium/unlock") { Content = JsonContent.Create(new { contentId = id }) };
        request.Headers.Add(IdempotencyFilter.Header, key);
        return request;
    }

    private Task<int> UnlockTransactionsOfAsync(Guid userId) =>
        app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Kind == TransactionKind.Unlock && t.ActorId == userId));

    [Fact]
    public async Task Ten_parallel_unlocks_with_one_key_charge_once()
    {
        var creator = await app.CreatorAsync();
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 33_333));
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => buyer.Client.SendAsync(Unlock(id, key))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created
            && !r.Headers.Contains(IdempotencyFilter.ReplayedHeader)));
        Assert.Equal(100_000 - 33_333, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(33_333 - Money.Share(33_333, UnlockSplit).Platform,
            await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(1, await UnlockTransactionsOfAsync(buyer.UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.UserId == buyer.UserId)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Ten_parallel_unlocks_of_one_content_with_different_keys_sell_it_once()
    {
        var creator = await app.CreatorAsync();
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 7_777));

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => buyer.UnlockAsync(id)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await conflict.ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        }

        Assert.Equal(100_000 - 7_777, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.PremiumContents.Where(c => c.Id == id).Select(c => c.UnlockCount).SingleAsync()));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Three_parallel_unlocks_of_different_content_debit_exactly_their_total()
    {
        var creators = new[] { await app.CreatorAsync(), await app.CreatorAsync(), await app.CreatorAsync() };
        long[] prices = [501, 9_999, 123_457];
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await creators[i].CreateContentAsync(PremiumApi.Draft(price: prices[i])));
        }

        var buyer = (await app.CreateFundedUsersAsync(1, 200_000))[0];
        var platformBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue);

        var responses = await Task.WhenAll(ids.Select(id => buyer.UnlockAsync(id)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(200_000 - prices.Sum(), await app.BalanceAsync(buyer.UserId));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Money.Share(prices[i], UnlockSplit).Creator,
                await app.BalanceAsync(creators[i].UserId, AccountKind.EarningsPending));
        }

        Assert.Equal(platformBefore + prices.Sum(p => Money.Share(p, UnlockSplit).Platform),
            await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue));
        Assert.Equal(3, await UnlockTransactionsOfAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Two_hundred_users_unlocking_one_content_at_once_pay_its_creator_two_hundred_shares()
    {
        const long price = 14_999;
        var creator = await app.CreatorAsync();
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: price));
        var buyers = await app.CreateFundedUsersAsync(200, 20_000);
        var platformBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue);

        var statuses = await Task.WhenAll(buyers.Select(async b => (await b.UnlockAsync(id)).StatusCode));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        var (fee, share) = Money.Share(price, UnlockSplit);
        Assert.Equal(200 * share, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(platformBefore + 200 * fee, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue));
        Assert.Equal(200, await app.WithDbAsync(db => db.PremiumContents.Where(c => c.Id == id).Select(c => c.UnlockCount).SingleAsync()));
        Assert.Equal(200, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.ContentId == id)));
        var ids = buyers.Select(b => b.UserId).ToList();
        Assert.Equal(200 * (20_000 - price), await app.WithDbAsync(db =>
            db.Accounts.Where(a => ids.Contains(a.OwnerId) && a.Kind == AccountKind.Wallet).SumAsync(a => a.Balance)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Unlocks_racing_a_delete_sell_only_before_it_and_every_sale_is_counted()
    {
        var creator = await app.CreatorAsync();
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 2_500));
        var buyers = await app.CreateFundedUsersAsync(40, 10_000);

        var unlocks = buyers.Select(async b => (await b.UnlockAsync(id)).StatusCode).ToList();
        var delete = creator.Client.DeleteAsync($"/api/premium/{id}");
        var statuses = await Task.WhenAll(unlocks);

        Assert.Equal(HttpStatusCode.NoContent, (await delete).StatusCode);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Gone or HttpStatusCode.Conflict, s.ToString()));
        var sold = statuses.Count(s => s == HttpStatusCode.Created);
        Assert.Equal(sold, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.ContentId == id)));
        Assert.Equal(sold, await app.WithDbAsync(db => db.PremiumContents.Where(c => c.Id == id).Select(c => c.UnlockCount).SingleAsync()));
        Assert.Equal(sold * Money.Share(2_500, UnlockSplit).Creator, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        for (var i = 0; i < buyers.Count; i++)
        {
            // Those who bought before the delete keep the content; everyone else finds it gone.
            var expected = statuses[i] == HttpStatusCode.Created ? HttpStatusCode.OK : HttpStatusCode.Gone;
            Assert.Equal(expected, (await buyers[i].Client.GetAsync($"/api/premium/{id}")).StatusCode);
        }

        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Fifty_parallel_unlocks_past_the_velocity_limit_get_429s_and_never_overdraw()
    {
        const long price = 1_000;
        var creator = await app.CreatorAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await creator.CreateContentAsync(PremiumApi.Draft(price: price)));
        }

        // Funds for more than the limit allows, so the velocity limit is what stops the burst.
        var buyer = (await app.CreateFundedUsersAsync(1, 12 * price))[0];

        var responses = await Task.WhenAll(ids.Select(id => buyer.UnlockAsync(id)));

        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(10, created); // the default limit: 10 unlocks a minute
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.NotEmpty(refused);
        foreach (var r in refused)
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "VELOCITY_LIMIT_EXCEEDED");
        }

        Assert.Equal(12 * price - created * price, await app.BalanceAsync(buyer.UserId));
        Assert.True(await app.BalanceAsync(buyer.UserId) >= 0);
        Assert.Equal(created, await UnlockTransactionsOfAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }
}
