using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Features.Premium;
using SuperApp.Features.Realtime;
using SuperApp.Platform.Idempotency;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;

namespace SuperApp.Tests.Regressions;

/// <summary>The premium settings and a daily limit of 25,000 for the free tier, on one instance.</summary>
public sealed class UnlockCacheReviewSettings : ITestSettings
{
    public const long DailyLimit = 25_000;

    public static void Configure(AppFixture app)
    {
        PremiumSettings.Configure(app);
        app.Settings["Fraud:DailySpendLimit:free"] = DailyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Unlocks of content this instance remembers as sellable, by buyers who own it already, are over a limit, or meet a
/// change made behind the cache; answers, money, daily spend and fraud audit checked over HTTP and in the database.
/// </summary>
public abstract class UnlockCacheReviewTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    /// <summary>Published content at <paramref name="price"/>, bought once by someone else so that this instance remembers it.</summary>
    private async Task<(Session Creator, Guid Content)> RememberedAsync(long price)
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: price));
        var first = await app.RegisterAsync();
        await app.FundAsync(first, Math.Max(price, 10_000));
        Assert.Equal(HttpStatusCode.Created, (await first.UnlockAsync(content)).StatusCode);
        return (creator, content);
    }

    private Task ChangeBehindTheCacheAsync(Guid content, Action<PremiumContent> change) => app.WithDbAsync(async db =>
    {
        change(await db.PremiumContents.SingleAsync(c => c.Id == content));
        await db.SaveChangesAsync();
    });

    private Task<List<string>> FraudAuditsAsync(Guid user) => app.WithDbAsync(db => db.AuditLogs
        .Where(a => a.Action.StartsWith("fraud.") && a.EntityId == user.ToString()).Select(a => a.Action).ToListAsync());

    private Task<int> UnlocksAsync(Guid buyer, Guid content) =>
        app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.UserId == buyer && u.ContentId == content));

    [Fact]
    public async Task An_owner_over_the_daily_limit_is_told_it_is_owned_and_nothing_is_spent_or_audited()
    {
        var (_, content) = await RememberedAsync(20_000);
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 30_000);
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(content)).StatusCode);

        // A second 20,000 would make 40,000 today, over 25,000: owning it is the answer, not a fraud refusal.
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");

        Assert.Equal(20_000, await app.SpentAsync(buyer.UserId));
        Assert.Empty(await FraudAuditsAsync(buyer.UserId));
        Assert.Equal((10_000, 1), (await app.BalanceAsync(buyer.UserId), await UnlocksAsync(buyer.UserId, content)));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task An_owner_of_content_deleted_behind_the_cache_is_told_it_is_gone_and_spends_nothing()
    {
        var (_, content) = await RememberedAsync(8_000);
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 10_000);
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(content)).StatusCode);
        await ChangeBehindTheCacheAsync(content, c => c.DeletedAt = app.Clock.GetUtcNow().UtcDateTime);

        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");

        Assert.Equal(8_000, await app.SpentAsync(buyer.UserId));
        Assert.Equal((2_000, 1), (await app.BalanceAsync(buyer.UserId), await UnlocksAsync(buyer.UserId, content)));
        Assert.Empty(await FraudAuditsAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Content_made_free_behind_the_cache_charges_nothing_and_the_retry_says_it_is_free()
    {
        var (_, content) = await RememberedAsync(10_000);
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 10_000);
        await ChangeBehindTheCacheAsync(content, c => c.Price = 0);

        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "CONTENT_IS_FREE");

        Assert.Equal((10_000, 0L), (await app.BalanceAsync(buyer.UserId), await app.SpentAsync(buyer.UserId)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_creator_suspended_then_reactivated_sells_nothing_meanwhile_and_sells_again_after()
    {
        var (creator, content) = await RememberedAsync(5_000);
        var admin = await app.AdminAsync();
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 10_000);

        var suspend = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{creator.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        await buyer.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        Assert.Equal(10_000, await app.BalanceAsync(buyer.UserId));

        var reactivate = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{creator.UserId}", new { status = "active" });
        Assert.Equal(HttpStatusCode.OK, reactivate.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(content)).StatusCode);
        Assert.Equal((5_000, 1), (await app.BalanceAsync(buyer.UserId), await UnlocksAsync(buyer.UserId, content)));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_key_replayed_after_a_remembered_sale_replays_the_sale_and_charges_once()
    {
        var (_, content) = await RememberedAsync(4_000);
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 10_000);
        var key = "unlock-" + Guid.NewGuid().ToString("N");

        var first = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));
        var again = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.Equal("true", again.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal((6_000, 1), (await app.BalanceAsync(buyer.UserId), await UnlocksAsync(buyer.UserId, content)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_key_answered_content_changed_then_used_once_the_creator_raised_the_price_past_the_limit_is_refused_once()
    {
        var (_, content) = await RememberedAsync(10_000);
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 30_000);
        await ChangeBehindTheCacheAsync(content, c => c.Price = 26_000);
        var key = "unlock-" + Guid.NewGuid().ToString("N");

        await buyer.Client.SendAsync(PremiumApi.Unlock(content, key)).ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
        await buyer.Client.SendAsync(PremiumApi.Unlock(content, key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        await buyer.Client.SendAsync(PremiumApi.Unlock(content, key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");

        Assert.Equal(["fraud.daily_limit_exceeded"], await FraudAuditsAsync(buyer.UserId));
        Assert.Equal((30_000, 0L), (await app.BalanceAsync(buyer.UserId), await app.SpentAsync(buyer.UserId)));
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class UnlockCacheReviewTestsOnPostgres(App<Postgres, UnlockCacheReviewSettings> app)
    : UnlockCacheReviewTests<App<Postgres, UnlockCacheReviewSettings>>(app);

public sealed class UnlockCacheReviewTestsOnSqlite(App<Sqlite, UnlockCacheReviewSettings> app)
    : UnlockCacheReviewTests<App<Sqlite, UnlockCacheReviewSettings>>(app);

/// <summary>Concurrent unlocks of remembered content on PostgreSQL, and a COMMIT the database refuses.</summary>
public sealed class UnlockCacheReviewConcurrencyTests(App<Postgres, UnlockCacheReviewSettings> app)
    : IClassFixture<App<Postgres, UnlockCacheReviewSettings>>
{
    private async Task<(Session Creator, Guid Content)> RememberedAsync(long price)
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: price));
        var first = await app.RegisterAsync();
        await app.FundAsync(first, Math.Max(price, 10_000));
        Assert.Equal(HttpStatusCode.Created, (await first.UnlockAsync(content)).StatusCode);
        return (creator, content);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_on_remembered_content_charge_once_and_agree()
    {
        var (_, content) = await RememberedAsync(3_000);
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 10_000);
        var key = "unlock-" + Guid.NewGuid().ToString("N");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => buyer.Client.SendAsync(PremiumApi.Unlock(content, key))));

        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        foreach (var other in answers.Except(created))
        {
            await other.ShouldBeProblemAsync(HttpStatusCode.Conflict, "IDEMPOTENCY_IN_PROGRESS");
        }

        var ids = await Task.WhenAll(created.Select(async a => (await a.JsonAsync()).GetProperty("unlockId").GetGuid()));
        Assert.Single(ids.Distinct());
        Assert.Equal(7_000, await app.BalanceAsync(buyer.UserId));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Buyers_racing_price_changes_made_here_each_pay_what_their_unlock_records_and_counts_match()
    {
        var (creator, content) = await RememberedAsync(2_000);
        var buyers = new List<Session>();
        for (var i = 0; i < 10; i++)
        {
            var b = await app.RegisterAsync();
            await app.FundAsync(b, 10_000);
            buyers.Add(b);
        }

        async Task<HttpResponseMessage> BuyAsync(Session b)
        {
            var answer = await b.UnlockAsync(content);
            for (var i = 0; i < 5 && answer.StatusCode == HttpStatusCode.Conflict; i++)
            {
                await answer.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
                answer = await b.UnlockAsync(content);
            }

            return answer;
        }

        async Task ChangePricesAsync()
        {
            foreach (var price in new long[] { 2_500, 3_000, 2_000, 3_500 })
            {
                var put = await creator.Client.PutAsJsonAsync($"/api/premium/{content}", PremiumApi.Draft(price: price));
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }
        }

        var buying = Task.WhenAll(buyers.Select(BuyAsync));
        await ChangePricesAsync();
        var answers = await buying;

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        foreach (var b in buyers)
        {
            var (unlockPrice, txAmount) = await app.WithDbAsync(async db =>
            {
                var unlock = await db.ContentUnlocks.SingleAsync(u => u.UserId == b.UserId && u.ContentId == content);
                var tx = await db.LedgerTransactions.SingleAsync(t => t.Reference == $"unlock:{unlock.Id}");
                return (unlock.Price, tx.Amount);
            });
            Assert.Equal(unlockPrice, txAmount);
            Assert.Equal(10_000 - unlockPrice, await app.BalanceAsync(b.UserId));
        }

        var (count, rows) = await app.WithDbAsync(async db => (
            await db.PremiumContents.Where(c => c.Id == content).Select(c => c.UnlockCount).SingleAsync(),
            await db.ContentUnlocks.CountAsync(u => u.ContentId == content)));
        Assert.Equal(rows, count);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_commit_the_database_refuses_moves_nothing_writes_no_events_counts_no_posting_and_frees_the_key()
    {
        var (creator, content) = await RememberedAsync(6_000);
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 10_000);
        var events = () => app.WithDbAsync(db => db.Set<RealtimeEvent>()
            .CountAsync(e => e.UserId == buyer.UserId || e.UserId == creator.UserId));
        var eventsBefore = await events();

        // A check the database makes at COMMIT (as the ledger's own balance trigger is), refusing this content's unlocks.
        var trigger = $"review_refuse_{content:N}";
        var create = $"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'check_violation'; END $$;
            CREATE CONSTRAINT TRIGGER {trigger} AFTER INSERT ON premium_unlocks DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.content_id = '{content}'::uuid) EXECUTE FUNCTION {trigger}();
            """;
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(create));

        using var postings = new PostingWatch(app.Services.GetRequiredService<IMeterFactory>());
        var key = "unlock-" + Guid.NewGuid().ToString("N");
        var refused = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));

        Assert.True((int)refused.StatusCode >= 500, $"{refused.StatusCode}: {await refused.Content.ReadAsStringAsync()}");
        Assert.Equal(0, postings.Unlocks);
        Assert.Equal(eventsBefore, await events());
        Assert.Equal((10_000, 0L), (await app.BalanceAsync(buyer.UserId), await app.SpentAsync(buyer.UserId)));
        await app.AssertLedgerConsistentAsync();

        var drop = $"DROP TRIGGER {trigger} ON premium_unlocks; DROP FUNCTION {trigger}();";
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(drop));
        var retried = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.False(retried.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        Assert.Equal(1, postings.Unlocks);
        Assert.Equal(eventsBefore + 2, await events());
        Assert.Equal(4_000, await app.BalanceAsync(buyer.UserId));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>Counts this service's unlock postings as its metrics report them.</summary>
    private sealed class PostingWatch : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _unlocks;

        public PostingWatch(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "superapp.ledger.postings")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "kind" && Equals(tag.Value, EnumText.Name(TransactionKind.Unlock)))
                    {
                        Interlocked.Add(ref _unlocks, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Unlocks => Interlocked.Read(ref _unlocks);

        public void Dispose() => _listener.Dispose();
    }
}
