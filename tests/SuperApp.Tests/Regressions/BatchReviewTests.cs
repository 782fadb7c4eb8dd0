using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Data;
using SuperApp.Features.Gifts;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;
using SuperApp.Tests.Refunds;
using SuperApp.Tests.Subscriptions;

namespace SuperApp.Tests.Regressions;

/// <summary>
/// Changes a content's price right after an unlock has read it (its first query), once, when armed: the purchase then
/// meets a content that is no longer what the buyer was shown. On SQLite the change runs on the request's own connection
/// and transaction (a second writer would wait on it); on PostgreSQL on a connection of its own, committed at once.
/// </summary>
public sealed class ContentChanger(IServiceScopeFactory scopes) : DbCommandInterceptor
{
    private readonly Lock _gate = new();
    private Guid? _armed;

    public int Fired { get; private set; }

    public void Arm(Guid contentId)
    {
        lock (_gate)
        {
            _armed = contentId;
        }
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        DbDataReader result, CancellationToken cancellationToken = default)
    {
        Guid? id = null;
        if (command.CommandText.Contains("premium_unlocks", StringComparison.Ordinal)
            && command.CommandText.Contains("premium_contents", StringComparison.Ordinal)
            && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            lock (_gate)
            {
                (id, _armed) = (_armed, null);
            }
        }

        if (id is { } content)
        {
            Fired++;
            if (command.Connection!.GetType().Name.StartsWith("Sqlite", StringComparison.Ordinal))
            {
                await using var update = command.Connection.CreateCommand();
                update.Transaction = command.Transaction;
                update.CommandText = "UPDATE premium_contents SET price = price + 1 WHERE id = @id";
                var p = update.CreateParameter();
                (p.ParameterName, p.Value) = ("@id", content.ToString().ToUpperInvariant());
                update.Parameters.Add(p);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            else
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                await db.Database.ExecuteSqlAsync($"UPDATE premium_contents SET price = price + 1 WHERE id = {content}", cancellationToken);
            }
        }

        return result;
    }
}

/// <summary>The premium settings, with a <see cref="ContentChanger"/> in the service's DbContext.</summary>
public sealed class BatchSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        PremiumSettings.Configure(app);
        app.ConfigureServices(s =>
        {
            s.AddSingleton<ContentChanger>();
            s.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<ContentChanger>());
        });
    }
}

/// <summary>
/// A daily limit of 25,000 for the free tier, the default velocity limits, on a clock that stands still; the renewal
/// job runs when a test runs it, not when the clock is moved.
/// </summary>
public sealed class BatchLimitSettings : ITestSettings
{
    public const long DailyLimit = 25_000;

    public static void Configure(AppFixture app)
    {
        PremiumSettings.Configure(app);
        app.Settings["Fraud:DailySpendLimit:free"] = DailyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Settings["Subscriptions:JobsEnabled"] = "false";
        app.Clock = TestClock.Manual();
    }
}

internal static class BatchChecks
{
    private static readonly TransactionKind[] Purchases = [TransactionKind.Gift, TransactionKind.Unlock, TransactionKind.Subscription];

    /// <summary>The payer's daily_spend rows, day by day, hold exactly what their committed purchases cost on that UTC day.</summary>
    public static async Task AssertDailySpendMatchesPurchasesAsync(this AppFixture app, Guid userId)
    {
        var (rows, txs) = await app.WithDbAsync(async db => (
            await db.DailySpends.AsNoTracking().Where(d => d.UserId == userId).ToListAsync(),
            await db.LedgerTransactions.AsNoTracking().Where(t => t.ActorId == userId && Purchases.Contains(t.Kind))
                .Select(t => new { t.Amount, t.CreatedAt }).ToListAsync()));
        var expected = txs.GroupBy(t => DateOnly.FromDateTime(t.CreatedAt)).Select(g => (g.Key, g.Sum(t => t.Amount))).Order().ToList();
        Assert.Equal(expected, rows.Where(r => r.Spent != 0).Select(r => (r.Day, r.Spent)).Order().ToList());
    }

    public static Task<long> UnlockCountAsync(this AppFixture app, IReadOnlyCollection<Guid> contents) =>
        app.WithDbAsync(db => db.PremiumContents.Where(c => contents.Contains(c.Id)).SumAsync(c => c.UnlockCount));

    public static Task<long> SpentAsync(this AppFixture app, Guid userId) =>
        app.WithDbAsync(db => db.DailySpends.Where(d => d.UserId == userId).SumAsync(d => d.Spent));

    public static HttpRequestMessage Post(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}

/// <summary>
/// Purchases that send the fraud guard, the leaderboard, the unlock count and the unlock row in the posting's own batch,
/// attacked over HTTP: content changed between the read and the batch, what each provider reads back of the raw rows,
/// refusal precedence and replays, suspensions racing purchases, refunds of gifts whose two shards come from one number.
/// </summary>
public abstract class BatchReviewTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    protected TApp App => app;

    /// <summary>
    /// A creator's first sale finds no earnings rows, creates them and runs its unit of work again (which would read the
    /// changed content afresh): made here, so the purchase under test has one attempt only.
    /// </summary>
    protected async Task FirstSaleAsync(Session creator)
    {
        var other = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var warm = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        Assert.Equal(HttpStatusCode.Created, (await other.UnlockAsync(warm)).StatusCode);
    }

    [Fact]
    public async Task Batch_content_repriced_after_the_read_is_409_unstored_moves_nothing_and_the_same_key_then_buys_once()
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        await FirstSaleAsync(creator);
        var key = Guid.NewGuid().ToString();

        var changer = app.Services.GetRequiredService<ContentChanger>();
        var fired = changer.Fired; // counts over the class's tests, whichever ran first
        changer.Arm(content);
        var changed = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));
        await changed.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
        Assert.Equal(fired + 1, changer.Fired);
        Assert.Equal(100_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(0, await app.SpentAsync(buyer.UserId));
        Assert.Equal(0, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.ContentId == content)));
        Assert.Equal(0, await app.UnlockCountAsync([content]));
        // On SQLite the change was made in the unlock's own transaction and rolled back with it.
        var now = await app.WithDbAsync(db => db.PremiumContents.Where(c => c.Id == content).Select(c => c.Price).SingleAsync());
        Assert.Equal(app.Provider == DatabaseProvider.Postgres ? 10_001 : 10_000, now);

        // "Try again" is no answer for the key: the same key buys now, at the price the buyer sees now.
        var bought = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));
        Assert.Equal(HttpStatusCode.Created, bought.StatusCode);
        Assert.Equal(now, (await bought.JsonAsync()).GetProperty("amount").GetInt64());
        var replay = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal((await bought.JsonAsync()).GetProperty("unlockId").GetGuid(),
            (await replay.JsonAsync()).GetProperty("unlockId").GetGuid());
        Assert.Equal(100_000 - now, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(now, await app.SpentAsync(buyer.UserId));
        Assert.Equal(1, await app.UnlockCountAsync([content]));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// A refusal worked out from a price that is no longer the price would be a wrong final answer (a lowered price
    /// might be affordable): the content's change is answered first, and the retry refuses on the price as it is.
    /// </summary>
    [Fact]
    public async Task Batch_content_repriced_after_the_read_answers_content_changed_before_a_funds_refusal_from_the_old_price()
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = (await app.CreateFundedUsersAsync(1, 5_000))[0];
        await FirstSaleAsync(creator);

        app.Services.GetRequiredService<ContentChanger>().Arm(content);
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");
        Assert.Equal(5_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(0, await app.SpentAsync(buyer.UserId));
        Assert.Equal(0, await app.UnlockCountAsync([content]));
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>The rows the batch writes with raw SQL are the rows EF reads: ids, days, times and period starts match.</summary>
    [Fact]
    public async Task Batch_rows_written_by_raw_sql_read_back_through_the_api_and_ef_on_each_provider()
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];

        var unlocked = await buyer.UnlockAsync(content);
        Assert.Equal(HttpStatusCode.Created, unlocked.StatusCode);
        var body = await unlocked.JsonAsync();
        var at = body.GetProperty("createdAt").GetDateTime().ToUniversalTime();

        // The handler's own check (EF, by user and content id) sees the row the batch inserted.
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        var list = await buyer.Client.GetFromJsonAsync<JsonElement>("/api/premium/unlocked");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(body.GetProperty("unlockId").GetGuid(), item.GetProperty("unlockId").GetGuid());
        Assert.Equal(10_000, item.GetProperty("pricePaid").GetInt64());
        var row = await app.WithDbAsync(db => db.ContentUnlocks.AsNoTracking().SingleAsync(u => u.UserId == buyer.UserId
            && u.ContentId == content));
        Assert.Equal(body.GetProperty("unlockId").GetGuid(), row.Id);
        Assert.Equal(item.GetProperty("unlockedAt").GetDateTime().ToUniversalTime(), row.CreatedAt);
        Assert.InRange(at - row.CreatedAt, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var today = DateOnly.FromDateTime(at);
        Assert.Equal(10_000, await app.WithDbAsync(db => db.DailySpends.Where(d => d.UserId == buyer.UserId && d.Day == today)
            .Select(d => d.Spent).SingleAsync()));

        var gift = await buyer.GiftAsync(creator.UserId, "rose", 2);
        Assert.Equal(HttpStatusCode.Created, gift.StatusCode);
        var giftAt = (await gift.JsonAsync()).GetProperty("createdAt").GetDateTime().ToUniversalTime();
        var dayStart = GiftLeaderboard.PeriodStart(LeaderboardPeriod.Day, giftAt);
        var (total, count) = await app.WithDbAsync(async db =>
        {
            var rows = await db.GiftLeaderboard.AsNoTracking().Where(e => e.Period == LeaderboardPeriod.Day && e.PeriodStart == dayStart
                && e.Board == LeaderboardBoard.Receivers && e.UserId == creator.UserId).ToListAsync();
            return (rows.Sum(r => r.Total), rows.Sum(r => r.GiftCount));
        });
        Assert.Equal((20_000L, 2L), (total, count));
        var board = await buyer.Client.GetFromJsonAsync<JsonElement>("/api/gift/leaderboard?period=day&board=senders&limit=100");
        Assert.Contains(board.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("user").GetProperty("id").GetGuid() == buyer.UserId);
        if (DateOnly.FromDateTime(giftAt) == today)
        {
            Assert.Equal(1, await app.WithDbAsync(db => db.DailySpends.CountAsync(d => d.UserId == buyer.UserId)));
        }

        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// A frozen payer who also cannot pay is told the wallet is frozen (the guard's refusal comes first), by gift, unlock
    /// and subscription alike; nothing is counted, no subscription row stays, and the refusal is the key's stored answer.
    /// </summary>
    [Fact]
    public async Task Batch_a_frozen_poor_payer_gets_wallet_frozen_everywhere_counted_nowhere_and_the_refusal_replays()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync(("monthly", 50_000));
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var payer = (await app.CreateFundedUsersAsync(1, 5_000))[0];
        await admin.FreezeAsync(payer.UserId);

        var key = Guid.NewGuid().ToString();
        await payer.Client.SendAsync(PremiumApi.Unlock(content, key)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        await payer.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        await payer.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        Assert.Equal(0, await app.SpentAsync(payer.UserId));
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.SubscriberId == payer.UserId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Gifts.CountAsync(g => g.SenderId == payer.UserId)));
        Assert.Equal(5_000, await app.BalanceAsync(payer.UserId));
        var audited = await app.WithDbAsync(db => db.AuditLogs.CountAsync(a => a.Action == "fraud.wallet_frozen"
            && a.EntityId == payer.UserId.ToString()));
        Assert.Equal(3, audited);

        await admin.UnfreezeAsync(payer.UserId);
        await app.FundAsync(payer, 100_000);
        var replay = await payer.Client.SendAsync(PremiumApi.Unlock(content, key));
        await replay.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        Assert.Equal(105_000, await app.BalanceAsync(payer.UserId));
        Assert.Equal(HttpStatusCode.Created, (await payer.UnlockAsync(content)).StatusCode);
        Assert.Equal(95_000, await app.BalanceAsync(payer.UserId));
        await app.AssertDailySpendMatchesPurchasesAsync(payer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// Many fans' gifts and unlocks race the creator's suspension: each is bought whole or refused whole, the creator's
    /// earnings hold exactly the shares of what was bought, and nothing is bought after the suspension.
    /// </summary>
    [Fact]
    public async Task Batch_fans_buying_while_the_creator_is_suspended_pay_only_for_what_they_got()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync();
        var contents = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            contents.Add(await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000)));
        }

        var fans = await app.CreateFundedUsersAsync(12, 100_000);
        var gifts = fans.Select(f => f.GiftAsync(creator.UserId, "rose")).ToList();
        var unlocks = fans.Select((f, i) => f.UnlockAsync(contents[i % contents.Count])).ToList();
        var suspend = admin.Client.PatchAsJsonAsync($"/api/admin/users/{creator.UserId}", new { status = "suspended" });
        await Task.WhenAll([.. gifts, .. unlocks, suspend]);
        Assert.Equal(HttpStatusCode.OK, (await suspend).StatusCode);

        long creatorShares = 0;
        foreach (var r in gifts.Select(t => t.Result))
        {
            if (r.StatusCode == HttpStatusCode.Created)
            {
                creatorShares += 9_000;
                continue;
            }

            await r.ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        }

        var unlocked = 0;
        for (var i = 0; i < unlocks.Count; i++)
        {
            var r = await unlocks[i];
            if (r.StatusCode == HttpStatusCode.Created)
            {
                creatorShares += (await r.JsonAsync()).GetProperty("creatorShare").GetInt64();
                unlocked++;
                continue;
            }

            // Content read (or remembered) on sale before the suspension committed answers "changed, try again"; the
            // retry reads it fresh and finds the creator gone.
            if (r.StatusCode == HttpStatusCode.Conflict)
            {
                await r.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
                r = await fans[i].UnlockAsync(contents[i % contents.Count]);
            }

            await r.ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        }

        Assert.Equal(gifts.Count(t => t.Result.StatusCode == HttpStatusCode.Created),
            await app.WithDbAsync(db => db.Gifts.CountAsync(g => g.RecipientId == creator.UserId)));
        Assert.Equal(unlocked, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => contents.Contains(u.ContentId))));
        Assert.Equal(unlocked, await app.UnlockCountAsync(contents));
        Assert.Equal(creatorShares, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        foreach (var fan in fans)
        {
            Assert.Equal(100_000 - await app.BalanceAsync(fan.UserId), await app.SpentAsync(fan.UserId));
            await app.AssertDailySpendMatchesPurchasesAsync(fan.UserId);
        }

        await fans[0].GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        Assert.Equal(creatorShares, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>A payer suspended while their burst of gifts is in flight pays for exactly the gifts that went through.</summary>
    [Fact]
    public async Task Batch_a_payer_suspended_mid_burst_pays_and_is_counted_only_for_what_went_through()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync();
        var payer = (await app.CreateFundedUsersAsync(1, 1_000_000))[0];
        var gifts = Enumerable.Range(0, 8).Select(_ => payer.GiftAsync(creator.UserId, "rose")).ToList();
        var suspend = admin.Client.PatchAsJsonAsync($"/api/admin/users/{payer.UserId}", new { status = "suspended" });
        await Task.WhenAll([.. gifts, suspend]);
        Assert.Equal(HttpStatusCode.OK, (await suspend).StatusCode);

        foreach (var r in gifts.Select(t => t.Result).Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ACCOUNT_SUSPENDED");
        }

        var bought = gifts.Count(t => t.Result.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1_000_000 - (bought * 10_000L), await app.BalanceAsync(payer.UserId));
        Assert.Equal(bought * 10_000L, await app.SpentAsync(payer.UserId));
        Assert.Equal(bought * 9_000L, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        await payer.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ACCOUNT_SUSPENDED");
        await app.AssertDailySpendMatchesPurchasesAsync(payer.UserId);
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// With as many board shards as earnings shards (the defaults), a gift credits the earnings shard of its board shard;
    /// refunding every gift takes each off its own rows: boards and earnings back to zero, fans whole again.
    /// </summary>
    [Fact]
    public async Task Batch_gifts_keep_board_and_earnings_on_one_shard_and_refunds_take_each_off_its_own_rows()
    {
        Assert.Equal(new GiftOptions().LeaderboardShards, new LedgerOptions().EarningsShards);
        var (admin, creator) = (await app.AdminAsync(), await app.CreatorAsync());
        var fans = await app.CreateFundedUsersAsync(16, 100_000);
        var txs = new List<Guid>();
        foreach (var fan in fans)
        {
            txs.Add(await fan.GiftedAsync(creator.UserId, "rose"));
        }

        var shards = await app.WithDbAsync(db => db.Gifts.AsNoTracking().Where(g => g.RecipientId == creator.UserId)
            .Select(g => new
            {
                g.LeaderboardShard,
                Earnings = db.LedgerEntries.Where(e => e.TransactionId == g.TransactionId)
                    .Join(db.Accounts, e => e.AccountId, a => a.Id, (e, a) => a)
                    .Where(a => a.Kind == AccountKind.EarningsPending).Select(a => a.Shard).Single(),
            }).ToListAsync());
        Assert.Equal(16, shards.Count);
        Assert.All(shards, s => Assert.Equal(s.LeaderboardShard, s.Earnings));
        Assert.True(shards.Select(s => s.Earnings).Distinct().Count() > 1, "sixteen gifts should have used more than one shard");

        foreach (var tx in txs)
        {
            await admin.RefundedAsync(tx);
        }

        Assert.Equal(0, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        foreach (var fan in fans)
        {
            Assert.Equal(100_000, await app.BalanceAsync(fan.UserId));
        }

        var left = await app.WithDbAsync(db => db.GiftLeaderboard.Where(e => e.UserId == creator.UserId && e.Total != 0).CountAsync());
        Assert.Equal(0, left);
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>Two creators buying from each other at once (gifts and unlocks both ways): no deadlock, no 5xx, all bought.</summary>
    [Fact]
    public async Task Batch_two_creators_buying_from_each_other_at_once_all_succeed_and_the_books_add_up()
    {
        var (a, b) = (await app.CreatorAsync(), await app.CreatorAsync());
        await app.FundAsync(a, 500_000);
        await app.FundAsync(b, 500_000);
        var (ofA, ofB) = (new List<Guid>(), new List<Guid>());
        for (var i = 0; i < 4; i++)
        {
            ofA.Add(await a.CreateContentAsync(PremiumApi.Draft(price: 10_000)));
            ofB.Add(await b.CreateContentAsync(PremiumApi.Draft(price: 10_000)));
        }

        var work = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < 6; i++)
        {
            work.Add(a.GiftAsync(b.UserId, "rose"));
            work.Add(b.GiftAsync(a.UserId, "rose"));
        }

        work.AddRange(ofB.Select(c => a.UnlockAsync(c)));
        work.AddRange(ofA.Select(c => b.UnlockAsync(c)));
        var responses = await Task.WhenAll(work);
        foreach (var r in responses)
        {
            Assert.True(r.StatusCode == HttpStatusCode.Created, $"{r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
        }

        var unlockShare = (await responses[^1].JsonAsync()).GetProperty("creatorShare").GetInt64();
        foreach (var s in new[] { a, b })
        {
            Assert.Equal(500_000 - 60_000 - 40_000, await app.BalanceAsync(s.UserId));
            Assert.Equal((6 * 9_000) + (4 * unlockShare), await app.BalanceAsync(s.UserId, AccountKind.EarningsPending));
            Assert.Equal(100_000, await app.SpentAsync(s.UserId));
            await app.AssertDailySpendMatchesPurchasesAsync(s.UserId);
        }

        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// The unlock row the batch inserted is the one a refund finds by id and deletes (with the count); the buyer is paid
    /// back and may buy again, once.
    /// </summary>
    [Fact]
    public async Task Batch_a_refunded_unlock_removes_the_batch_inserted_row_and_count_and_can_be_bought_again()
    {
        var (admin, creator) = (await app.AdminAsync(), await app.CreatorAsync());
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var first = await buyer.UnlockAsync(content);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await admin.RefundedAsync((await first.JsonAsync()).GetProperty("transactionId").GetGuid());

        Assert.Equal(0, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.ContentId == content)));
        Assert.Equal(0, await app.UnlockCountAsync([content]));
        Assert.Equal(100_000, await app.BalanceAsync(buyer.UserId));
        var again = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => buyer.UnlockAsync(content)));
        Assert.Single(again, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var r in again.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        }

        Assert.Equal(90_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(1, await app.UnlockCountAsync([content]));
        Assert.Equal(20_000, await app.SpentAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class BatchReviewTestsOnPostgres(App<Postgres, BatchSettings> app) : BatchReviewTests<App<Postgres, BatchSettings>>(app);

public sealed class BatchReviewTestsOnSqlite(App<Sqlite, BatchSettings> app) : BatchReviewTests<App<Sqlite, BatchSettings>>(app);

/// <summary>The guard's limits with its statements in the posting's batch: the daily limit and velocity, in order and in bursts.</summary>
public abstract class BatchReviewLimitTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    protected TApp App => app;

    [Fact]
    public async Task Batch_the_daily_limit_stops_gifts_unlocks_and_subscriptions_and_counts_only_what_was_bought()
    {
        var creator = await app.CreatorAsync(("monthly", 50_000));
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var payer = (await app.CreateFundedUsersAsync(1, 200_000))[0];

        Assert.Equal(HttpStatusCode.Created, (await payer.GiftAsync(creator.UserId, "rose")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await payer.GiftAsync(creator.UserId, "rose")).StatusCode);
        await payer.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        await payer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        await payer.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");

        Assert.Equal(20_000, await app.SpentAsync(payer.UserId));
        Assert.Equal(180_000, await app.BalanceAsync(payer.UserId));
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.SubscriberId == payer.UserId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.UserId == payer.UserId)));
        Assert.Equal(0, await app.UnlockCountAsync([content]));
        await app.AssertDailySpendMatchesPurchasesAsync(payer.UserId);
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>Over the limit and unable to pay: the limit is the answer (the guard's refusals come before the posting's).</summary>
    [Fact]
    public async Task Batch_a_poor_payer_over_the_daily_limit_is_told_the_limit_not_insufficient_funds()
    {
        var creator = await app.CreatorAsync(("monthly", 50_000));
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 30_000));
        var payer = (await app.CreateFundedUsersAsync(1, 5_000))[0];

        await payer.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        await payer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        await payer.GiftAsync(creator.UserId, "coffee").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        await payer.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");
        Assert.Equal(0, await app.SpentAsync(payer.UserId));
        Assert.Equal(5_000, await app.BalanceAsync(payer.UserId));
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.SubscriberId == payer.UserId)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Batch_a_parallel_burst_of_gifts_passes_the_daily_limit_exactly()
    {
        var creator = await app.CreatorAsync();
        var payer = (await app.CreateFundedUsersAsync(1, 1_000_000))[0];
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => payer.GiftAsync(creator.UserId, "rose")));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        }

        Assert.Equal(20_000, await app.SpentAsync(payer.UserId));
        Assert.Equal(980_000, await app.BalanceAsync(payer.UserId));
        Assert.Equal(18_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        await app.AssertDailySpendMatchesPurchasesAsync(payer.UserId);
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>The default velocity limit (10 unlocks a minute) holds exactly under 15 at once; the refused are not counted.</summary>
    [Fact]
    public async Task Batch_a_parallel_burst_of_unlocks_passes_the_velocity_limit_exactly()
    {
        var perMinute = new FraudOptions().Velocity["unlock"].PerMinute;
        var creator = await app.CreatorAsync();
        var contents = new List<Guid>();
        for (var i = 0; i < perMinute + 6; i++)
        {
            contents.Add(await creator.CreateContentAsync(PremiumApi.Draft(price: 1_000)));
        }

        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var responses = await Task.WhenAll(contents.Take(perMinute + 5).Select(c => buyer.UnlockAsync(c)));
        Assert.Equal(perMinute, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "VELOCITY_LIMIT_EXCEEDED");
        }

        Assert.Equal(perMinute * 1_000L, await app.SpentAsync(buyer.UserId));
        Assert.Equal(100_000 - (perMinute * 1_000L), await app.BalanceAsync(buyer.UserId));
        Assert.Equal(perMinute, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.UserId == buyer.UserId)));
        Assert.Equal(perMinute, await app.UnlockCountAsync(contents));

        await app.AdvanceAsync(TimeSpan.FromSeconds(61), buyer, creator);
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(contents[^1])).StatusCode);
        Assert.Equal((perMinute + 1) * 1_000L, await app.SpentAsync(buyer.UserId));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// The renewal job charges through the same guard: a payer over today's limit, and a payer suspended since, are
    /// refused; each subscription ends as refused, no money moves, and today's spend holds only what was bought today.
    /// </summary>
    [Fact]
    public async Task Batch_renewals_over_the_daily_limit_or_of_a_suspended_payer_end_refused_and_move_nothing()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync(("monthly", 20_000));
        var (spender, suspended) = ((await app.CreateFundedUsersAsync(1, 200_000))[0], (await app.CreateFundedUsersAsync(1, 200_000))[0]);
        var subs = new[] { (await spender.SubscribedAsync(creator.UserId)).Id(), (await suspended.SubscribedAsync(creator.UserId)).Id() };

        await app.AdvanceAsync(TimeSpan.FromDays(31), admin, creator, spender, suspended);
        Assert.Equal(HttpStatusCode.Created, (await spender.GiftAsync(creator.UserId, "rose")).StatusCode);
        var patch = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{suspended.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var earnings = await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending);

        var run = await app.RenewDueAsync(app.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal((0, 2), (run.Renewed, run.Expired));
        foreach (var id in subs)
        {
            var sub = await app.SubscriptionAsync(id);
            Assert.Equal(SuperApp.Features.Subscriptions.SubscriptionStatus.Expired, sub.Status);
            Assert.Equal(SuperApp.Features.Subscriptions.SubscriptionEndReason.PaymentRefused, sub.EndReason);
            Assert.Equal(1, await app.ChargesAsync(id));
        }

        Assert.Equal(200_000 - 20_000 - 10_000, await app.BalanceAsync(spender.UserId));
        Assert.Equal(200_000 - 20_000, await app.BalanceAsync(suspended.UserId));
        Assert.Equal(earnings, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(30_000, await app.SpentAsync(spender.UserId));
        Assert.Equal(20_000, await app.SpentAsync(suspended.UserId));
        await app.AssertDailySpendMatchesPurchasesAsync(spender.UserId);
        await app.AssertDailySpendMatchesPurchasesAsync(suspended.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>Each content asked for twice at once, past the velocity limit: ten distinct contents unlocked, each paid once.</summary>
    [Fact]
    public async Task Batch_a_burst_of_duplicate_unlocks_past_the_velocity_limit_buys_each_content_at_most_once()
    {
        var perMinute = new FraudOptions().Velocity["unlock"].PerMinute;
        var creator = await app.CreatorAsync();
        var contents = new List<Guid>();
        for (var i = 0; i < perMinute + 4; i++)
        {
            contents.Add(await creator.CreateContentAsync(PremiumApi.Draft(price: 1_000)));
        }

        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var responses = await Task.WhenAll(contents.Concat(contents).Select(c => buyer.UnlockAsync(c)));
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Equal(perMinute, created.Count);
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var code = (await r.JsonAsync()).GetProperty("code").GetString();
            Assert.True(code is "ALREADY_UNLOCKED" or "VELOCITY_LIMIT_EXCEEDED", $"{r.StatusCode}: {code}");
        }

        var ids = new List<Guid>();
        foreach (var r in created)
        {
            ids.Add((await r.JsonAsync()).GetProperty("contentId").GetGuid());
        }

        Assert.Equal(perMinute, ids.Distinct().Count());
        Assert.Equal(perMinute * 1_000L, await app.SpentAsync(buyer.UserId));
        Assert.Equal(100_000 - (perMinute * 1_000L), await app.BalanceAsync(buyer.UserId));
        Assert.Equal(perMinute, await app.UnlockCountAsync(contents));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class BatchReviewLimitTestsOnPostgres(App<Postgres, BatchLimitSettings> app)
    : BatchReviewLimitTests<App<Postgres, BatchLimitSettings>>(app);

public sealed class BatchReviewLimitTestsOnSqlite(App<Sqlite, BatchLimitSettings> app)
    : BatchReviewLimitTests<App<Sqlite, BatchLimitSettings>>(app);
