using System.Net;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Gifts;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;

namespace SuperApp.Tests.Purchases;

/// <summary>
/// Purchases at once on PostgreSQL, judged by the books afterwards: the platform's revenue spread
/// over its shards, a live stream's gift storm to one creator, and a daily limit under a burst.
/// </summary>
public sealed class PurchaseScaleTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    private static readonly RevenueOptions Revenue = new();

    [Fact]
    public async Task Two_hundred_concurrent_purchases_spread_the_fees_over_shards_that_sum_to_the_fee_total()
    {
        var buyers = await app.CreateFundedUsersAsync(50, 1_000_000);
        var creators = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => app.CreatorAsync()));
        var contents = new List<Guid>();
        foreach (var creator in creators)
        {
            contents.Add(await creator.CreateContentAsync(PremiumApi.Draft(price: 33_333)));
            contents.Add(await creator.CreateContentAsync(PremiumApi.Draft(price: 12_345)));
        }

        var before = await ShardBalancesAsync();
        // 100 unlocks (each buyer two distinct pieces) and 100 gifts (each buyer two), all at once.
        var unlocks = buyers.SelectMany((b, i) => new[] { contents[i % 10], contents[(i + 1) % 10] }.Select(c => b.UnlockAsync(c)));
        var gifts = buyers.SelectMany((b, i) => Enumerable.Range(0, 2).Select(k => b.GiftAsync(creators[(i + k) % 5].UserId, "star")));
        var responses = await Task.WhenAll(unlocks.Concat(gifts));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var purchases = await app.WithDbAsync(db => db.LedgerTransactions.AsNoTracking().Include(t => t.Entries)
            .Where(t => t.Kind == TransactionKind.Unlock || t.Kind == TransactionKind.Gift)
            .Where(t => db.Users.Any(u => u.Id == t.ActorId && buyers.Select(b => b.UserId).Contains(u.Id))).ToListAsync());
        Assert.Equal(200, purchases.Count);
        long fees = 0;
        foreach (var tx in purchases)
        {
            // Every split still sums to the price: the buyer pays it, the creator and the platform share it.
            Assert.Equal(0, tx.Entries.Sum(e => e.Amount));
            Assert.Equal(tx.Amount, tx.Entries.Where(e => e.Amount > 0).Sum(e => e.Amount));
            var split = tx.Kind == TransactionKind.Unlock ? Revenue.Splits.Unlock : Revenue.Splits.Gift;
            fees += Money.Share(tx.Amount, split).Platform;
        }

        var after = await ShardBalancesAsync();
        Assert.Equal(fees, after.Values.Sum() - before.Values.Sum());
        var used = after.Count(s => s.Value != before.GetValueOrDefault(s.Key));
        Assert.True(used > 1, $"all 200 fees landed on {used} shard(s)");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Five_hundred_concurrent_gifts_to_one_creator_leave_exact_earnings_and_leaderboards()
    {
        var fans = await app.CreateFundedUsersAsync(50, 1_000_000);
        var creator = await app.CreatorAsync();

        var responses = await Task.WhenAll(fans.SelectMany(f => Enumerable.Range(0, 10).Select(_ => f.GiftAsync(creator.UserId, "rose"))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var share = Money.Share(10_000, Revenue.Splits.Gift).Creator;
        Assert.Equal(500 * share, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        var rows = await app.WithDbAsync(db => db.GiftLeaderboard.AsNoTracking()
            .Where(e => e.UserId == creator.UserId && e.Board == LeaderboardBoard.Receivers).ToListAsync());
        // Day, week, month and all time, each split over shards that sum to every gift.
        var boards = rows.GroupBy(r => r.Period).ToDictionary(g => g.Key, g => (g.Sum(r => r.Total), g.Sum(r => r.GiftCount)));
        Assert.Equal(4, boards.Count);
        Assert.All(boards.Values, b => Assert.Equal((500 * 10_000L, 500L), b));
        Assert.True(rows.Count > 4, "500 gifts to one creator all landed on one shard");
        var board = await (await fans[0].Client.GetAsync("/api/gift/leaderboard?period=all&board=receivers&limit=100")).JsonAsync();
        var top = board.GetProperty("items").EnumerateArray()
            .First(i => i.GetProperty("user").GetProperty("id").GetGuid() == creator.UserId);
        Assert.Equal(500 * 10_000L, top.GetProperty("total").GetInt64());
        Assert.All(fans, f => Assert.Equal(1_000_000 - 10 * 10_000, app.BalanceAsync(f.UserId).Result));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_daily_limit_refuses_exactly_at_the_limit_under_a_parallel_burst()
    {
        // The free tier may spend 10,000,000 a day: ten crowns, not eleven, however they arrive.
        var fan = (await app.CreateFundedUsersAsync(1, 30_000_000))[0];
        var creator = await app.CreatorAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fan.GiftAsync(creator.UserId, "crown")));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        }

        Assert.Equal(20_000_000, await app.BalanceAsync(fan.UserId));
        var spent = await app.WithDbAsync(db => db.DailySpends.Where(d => d.UserId == fan.UserId).Select(d => d.Spent).SingleAsync());
        Assert.Equal(10_000_000, spent);
        await app.AssertLedgerConsistentAsync();
    }

    private Task<Dictionary<int, long>> ShardBalancesAsync() => app.WithDbAsync(db => db.Accounts
        .Where(a => a.OwnerId == SystemAccounts.Owner && a.Kind == AccountKind.PlatformRevenue)
        .ToDictionaryAsync(a => a.Shard, a => a.Balance));
}
