using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Creators;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;
using SuperApp.Tests.Refunds;
using SuperApp.Tests.Subscriptions;

namespace SuperApp.Tests.Regressions;

/// <summary>
/// Sharded leaderboards and earnings under a further round of attack: ranks of summed shards, suspended users,
/// refunds taken off a gift's own shard, unlock races and replays with the unlock row saved after posting,
/// refunds of transactions that are no purchase, and other users' ids.
/// </summary>
public abstract class FinalShardReview4Tests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    protected TApp App => app;

    protected static async Task<List<JsonElement>> BoardAsync(Session s, string period)
    {
        var board = await s.GetJsonAsync($"/api/gift/leaderboard?period={period}&limit=100");
        return board.GetProperty("items").EnumerateArray().ToList();
    }

    protected static JsonElement? Row(List<JsonElement> items, Guid userId) =>
        items.Where(i => i.GetProperty("user").GetProperty("id").GetGuid() == userId).Cast<JsonElement?>().FirstOrDefault();

    /// <summary>Each rank is one more than the number of rows with a strictly greater total (equal totals share a rank).</summary>
    protected static void AssertCompetitionRanks(List<JsonElement> items)
    {
        foreach (var item in items)
        {
            var total = item.GetProperty("total").GetInt64();
            Assert.Equal(1 + items.Count(i => i.GetProperty("total").GetInt64() > total), item.GetProperty("rank").GetInt32());
        }

        var ids = items.Select(i => i.GetProperty("user").GetProperty("id").GetGuid()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Review4_receivers_summed_over_shards_tie_share_a_rank_suspended_users_drop_out_and_a_refund_moves_the_sum()
    {
        var admin = await app.AdminAsync();
        var (spread, single, suspended) = (await app.CreatorAsync(), await app.CreatorAsync(), await app.CreatorAsync());
        var fans = await app.CreateFundedUsersAsync(6, 1_000_000);
        var spreadGifts = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            spreadGifts.Add(await fans[i].GiftedAsync(spread.UserId, "rose"));
        }

        await fans[4].GiftedAsync(single.UserId, "rose", 4);
        await fans[5].GiftedAsync(suspended.UserId, "crown");
        var shards = await app.WithDbAsync(db => db.GiftLeaderboard
            .Where(e => e.UserId == spread.UserId && e.Period == Features.Gifts.LeaderboardPeriod.All).CountAsync());
        Assert.True(shards >= 1);
        var patch = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{suspended.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        foreach (var period in new[] { "day", "week", "month", "all" })
        {
            var items = await BoardAsync(fans[0], period);
            AssertCompetitionRanks(items);
            Assert.Null(Row(items, suspended.UserId));
            var (a, b) = (Row(items, spread.UserId)!.Value, Row(items, single.UserId)!.Value);
            Assert.Equal(40_000, a.GetProperty("total").GetInt64());
            Assert.Equal(4, a.GetProperty("count").GetInt64());
            Assert.Equal(40_000, b.GetProperty("total").GetInt64());
            Assert.Equal(a.GetProperty("rank").GetInt32(), b.GetProperty("rank").GetInt32());
        }

        await admin.RefundedAsync(spreadGifts[2]);
        foreach (var period in new[] { "day", "all" })
        {
            var items = await BoardAsync(fans[0], period);
            AssertCompetitionRanks(items);
            var (a, b) = (Row(items, spread.UserId)!.Value, Row(items, single.UserId)!.Value);
            Assert.Equal(30_000, a.GetProperty("total").GetInt64());
            Assert.Equal(3, a.GetProperty("count").GetInt64());
            Assert.True(a.GetProperty("rank").GetInt32() > b.GetProperty("rank").GetInt32());
        }

        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// DEFECT: a receiver (and a sender) whose every gift was refunded stays on the board with a total of 0 and takes a
    /// rank: the refund subtracts from the shard row (RefundEffects.SubtractGiftAsync) but leaves it, and
    /// GetLeaderboard.Top lists every summed row without a <c>Total &gt; 0</c> filter.
    /// </summary>
    [Fact]
    public async Task Review4_a_receiver_whose_gifts_were_all_refunded_is_not_ranked_with_a_total_of_zero()
    {
        var (admin, creator) = (await app.AdminAsync(), await app.CreatorAsync());
        var fans = await app.CreateFundedUsersAsync(3, 100_000);
        foreach (var fan in fans)
        {
            await admin.RefundedAsync(await fan.GiftedAsync(creator.UserId, "rose"));
        }

        var items = await BoardAsync(fans[0], "all");
        Assert.Null(Row(items, creator.UserId));
        Assert.Null(Row(await BoardAsync(fans[0], "day"), fans[0].UserId));
    }

    [Fact]
    public async Task Review4_racing_unlocks_of_one_content_by_one_buyer_charge_once_and_the_losers_get_already_unlocked()
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync();
        var buyer = (await app.CreateFundedUsersAsync(1, 1_000_000))[0];
        var before = await app.BalanceAsync(buyer.UserId);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => buyer.UnlockAsync(content)));
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Single(created);
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        }

        var body = await created[0].JsonAsync();
        var price = body.GetProperty("amount").GetInt64();
        Assert.Equal(before - price, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(before - price, body.GetProperty("balance").GetInt64());
        Assert.Equal(1, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.ContentId == content)));
        Assert.Equal(1, await app.WithDbAsync(db => db.PremiumContents.Where(c => c.Id == content)
            .Select(c => c.UnlockCount).SingleAsync()));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.ActorId == buyer.UserId
            && t.Kind == TransactionKind.Unlock)));
        var spent = await app.WithDbAsync(db => db.Set<DailySpend>().Where(d => d.UserId == buyer.UserId).SumAsync(d => d.Spent));
        Assert.Equal(price, spent);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Review4_an_unlock_and_a_gift_replayed_with_one_key_answer_the_same_and_charge_once()
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync();
        var buyer = (await app.CreateFundedUsersAsync(1, 1_000_000))[0];
        var before = await app.BalanceAsync(buyer.UserId);

        async Task<HttpResponseMessage> Send(string path, object body, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await buyer.Client.SendAsync(request);
        }

        var unlockKey = Guid.NewGuid().ToString();
        var unlocks = await Task.WhenAll(Enumerable.Range(0, 4)
            .Select(_ => Send("/api/premium/unlock", new { contentId = content }, unlockKey)));
        var giftKey = Guid.NewGuid().ToString();
        var giftBody = new { recipientId = creator.UserId, giftType = "rose", quantity = 2 };
        var gifts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Send("/api/gift/send", giftBody, giftKey)));

        foreach (var (responses, field) in new[] { (unlocks, "unlockId"), (gifts, "giftId") })
        {
            var ok = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
            Assert.NotEmpty(ok);
            foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            {
                await r.ShouldBeProblemAsync(HttpStatusCode.Conflict, "IDEMPOTENCY_IN_PROGRESS");
            }

            var ids = new HashSet<Guid>();
            foreach (var r in ok)
            {
                ids.Add((await r.JsonAsync()).GetProperty(field).GetGuid());
            }

            Assert.Single(ids);
        }

        var replayUnlock = await Send("/api/premium/unlock", new { contentId = content }, unlockKey);
        Assert.Equal(HttpStatusCode.Created, replayUnlock.StatusCode);
        var replayGift = await Send("/api/gift/send", giftBody, giftKey);
        Assert.Equal(HttpStatusCode.Created, replayGift.StatusCode);

        var price = (await replayUnlock.JsonAsync()).GetProperty("amount").GetInt64();
        Assert.Equal(before - price - 20_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.Gifts.CountAsync(g => g.SenderId == buyer.UserId)));
        Assert.Equal(1, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.UserId == buyer.UserId)));
        var row = Row(await BoardAsync(buyer, "all"), creator.UserId)!.Value;
        Assert.Equal(20_000, row.GetProperty("total").GetInt64());
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Review4_refunding_a_transaction_that_is_no_purchase_is_refused_and_moves_nothing()
    {
        var (admin, creator) = (await app.AdminAsync(), await app.CreatorAsync());
        var fans = await app.CreateFundedUsersAsync(3, 100_000);
        var giftTxs = new List<Guid>();
        foreach (var fan in fans)
        {
            giftTxs.Add(await fan.GiftedAsync(creator.UserId, "rose"));
        }

        await admin.RefundedAsync(giftTxs[0]);
        await app.AdvanceAsync(new RevenueOptions().HoldingPeriod + TimeSpan.FromMinutes(1), admin, creator, fans[0]);
        Assert.Equal(18_000, (await admin.SettleAsync(creator.UserId)).PaidTo(creator.UserId));

        var others = await app.WithDbAsync(db => db.LedgerTransactions
            .Where(t => (t.ActorId == fans[0].UserId || t.ActorId == creator.UserId || t.ActorId == admin.UserId
                    || t.Kind == TransactionKind.Settlement)
                && (t.Kind == TransactionKind.Topup || t.Kind == TransactionKind.Refund || t.Kind == TransactionKind.Settlement))
            .Select(t => new { t.Id, t.Kind }).ToListAsync());
        Assert.Contains(others, t => t.Kind == TransactionKind.Refund);
        Assert.Contains(others, t => t.Kind == TransactionKind.Settlement);
        var before = (await app.BalanceAsync(fans[0].UserId), await app.BalanceAsync(creator.UserId),
            await app.SystemBalanceAsync(AccountKind.RefundLosses));
        foreach (var t in others)
        {
            await admin.RefundAsync(t.Id).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "NOT_REFUNDABLE");
        }

        await admin.RefundAsync(giftTxs[0]).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_REFUNDED");
        Assert.Equal(before, (await app.BalanceAsync(fans[0].UserId), await app.BalanceAsync(creator.UserId),
            await app.SystemBalanceAsync(AccountKind.RefundLosses)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Review4_other_users_cannot_read_a_gift_transaction_and_a_creator_sees_only_their_own_revenue()
    {
        var (mine, theirs) = (await app.CreatorAsync(), await app.CreatorAsync());
        var fan = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var tx = await fan.GiftedAsync(theirs.UserId, "rose");

        await mine.Client.GetAsync($"/api/wallet/transactions/{tx}").ShouldBeProblemAsync(HttpStatusCode.NotFound, "TRANSACTION_NOT_FOUND");
        await fan.Client.GetAsync("/api/creator/revenue").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        var history = await mine.GetJsonAsync($"/api/creator/revenue/history?creatorId={theirs.UserId}");
        Assert.Empty(history.GetProperty("items").EnumerateArray());
        var revenue = await mine.GetJsonAsync($"/api/creator/revenue?creatorId={theirs.UserId}");
        Assert.DoesNotContain("9000", revenue.GetRawText());
        var own = await theirs.GetJsonAsync("/api/creator/revenue/history");
        Assert.Single(own.GetProperty("items").EnumerateArray());
    }

    /// <summary>
    /// One payer's subscription (seller row locked before the guard), gifts and unlocks (guard first) to one creator at once,
    /// while an admin suspends the creator: no 5xx or deadlock, each refusal a problem, and today's spend row holds exactly
    /// what the wallet lost (a refused purchase's increment rolls back with it).
    /// </summary>
    [Fact]
    public async Task Review4_a_mixed_burst_of_one_payer_racing_the_creators_suspension_charges_only_what_succeeded()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync(("monthly", 50_000));
        var contents = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            contents.Add(await creator.CreateContentAsync());
        }

        var payer = (await app.CreateFundedUsersAsync(1, 2_000_000))[0];
        var start = await app.BalanceAsync(payer.UserId);
        var work = new List<Task<HttpResponseMessage>> { payer.SubscribeAsync(creator.UserId) };
        work.AddRange(Enumerable.Range(0, 3).Select(_ => payer.GiftAsync(creator.UserId, "coffee")));
        work.AddRange(contents.Select(c => payer.UnlockAsync(c)));
        work.Add(admin.Client.PatchAsJsonAsync($"/api/admin/users/{creator.UserId}", new { status = "suspended" }));
        var responses = await Task.WhenAll(work);

        Assert.Equal(HttpStatusCode.OK, responses[^1].StatusCode);
        foreach (var r in responses[..^1])
        {
            var text = await r.Content.ReadAsStringAsync();
            Assert.True((int)r.StatusCode is 201 or 200 or 404 or 409 or 422 or 403, $"{r.StatusCode}: {text}");
            if ((int)r.StatusCode >= 400)
            {
                Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            }
        }

        var spent = start - await app.BalanceAsync(payer.UserId);
        var recorded = await app.WithDbAsync(db => db.Set<DailySpend>().Where(d => d.UserId == payer.UserId).SumAsync(d => d.Spent));
        Assert.Equal(spent, recorded);
        var charged = await app.WithDbAsync(db => db.LedgerTransactions.Where(t => t.ActorId == payer.UserId
            && (t.Kind == TransactionKind.Gift || t.Kind == TransactionKind.Unlock || t.Kind == TransactionKind.Subscription))
            .SumAsync(t => t.Amount));
        Assert.Equal(spent, charged);
        Assert.Equal(responses[..^1].Count(r => (int)r.StatusCode is 200 or 201), await app.WithDbAsync(db => db.LedgerTransactions
            .CountAsync(t => t.ActorId == payer.UserId
                && (t.Kind == TransactionKind.Gift || t.Kind == TransactionKind.Unlock || t.Kind == TransactionKind.Subscription))));
        await payer.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        Assert.Equal(spent, start - await app.BalanceAsync(payer.UserId));
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// The first purchases of a new creator find no earnings shard rows: each attempt rolls back, creates them and retries
    /// under its Idempotency-Key. Many at once still each succeed once, and the shards exist once each.
    /// </summary>
    [Fact]
    public async Task Review4_concurrent_first_gifts_to_a_new_creator_create_each_shard_once_and_charge_each_fan_once()
    {
        var creator = await app.CreatorAsync();
        var fans = await app.CreateFundedUsersAsync(10, 100_000);
        var responses = await Task.WhenAll(fans.Select(f => f.GiftAsync(creator.UserId, "rose")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var shards = await app.WithDbAsync(db => db.Accounts.Where(a => a.OwnerId == creator.UserId
            && a.Kind == AccountKind.EarningsPending).Select(a => a.Shard).ToListAsync());
        Assert.Equal(shards.Count, shards.Distinct().Count());
        Assert.Equal(new LedgerOptions().EarningsShards, shards.Count);
        Assert.Equal(90_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        foreach (var fan in fans)
        {
            Assert.Equal(90_000, await app.BalanceAsync(fan.UserId));
        }

        Assert.Equal(100_000, Row(await BoardAsync(fans[0], "all"), creator.UserId)!.Value.GetProperty("total").GetInt64());
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class FinalShardReview4Tests(App<Postgres, Defaults> app) : FinalShardReview4Tests<App<Postgres, Defaults>>(app);

public sealed class FinalShardReview4TestsOnSqlite(App<Sqlite, Defaults> app) : FinalShardReview4Tests<App<Sqlite, Defaults>>(app);
