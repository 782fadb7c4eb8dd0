using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SuperApp.Features.Ledger;
using SuperApp.Features.Realtime;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;

namespace SuperApp.Tests.Regressions;

/// <summary>
/// Two instances on one database and Redis, with the premium settings and a daily limit of 25,000 for the free tier:
/// content one instance remembers as sellable while the other changes it.
/// </summary>
public sealed class CommitBatchReviewSettings : ITestSettings
{
    public const long DailyLimit = 25_000;

    public static void Configure(AppFixture app)
    {
        PremiumSettings.Configure(app);
        RedisSettings.Configure(app);
        app.Settings["Fraud:DailySpendLimit:free"] = DailyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Unlocks of content instance A sold a moment ago (so A answers from its cache of sellable content) while the creator
/// changes it through instance B, and the money and events of those unlocks, checked over HTTP and in the database.
/// </summary>
public sealed class CommitBatchReviewAcrossInstancesTests(TwoInstances<CommitBatchReviewSettings> apps)
    : IClassFixture<TwoInstances<CommitBatchReviewSettings>>
{
    private AppFixture A => apps.A;

    private AppFixture B => apps.B;

    /// <summary>The same user, signed in, talking to <paramref name="app"/>.</summary>
    private static Session On(AppFixture app, Session s)
    {
        var client = app.CreateUserClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", s.AccessToken);
        return s with { Client = client };
    }

    /// <summary>A creator's published content at <paramref name="price"/>, bought once on A so that A remembers it.</summary>
    private async Task<(Session Creator, Guid Content)> RememberedOnAAsync(long price)
    {
        var creator = await A.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: price));
        var first = await A.RegisterAsync();
        await A.FundAsync(first, Math.Max(price, 10_000)); // a top-up is 10,000 at least
        Assert.Equal(HttpStatusCode.Created, (await first.UnlockAsync(content)).StatusCode);
        return (creator, content);
    }

    private static async Task SetPriceOnBAsync(AppFixture b, Session creator, Guid content, long price)
    {
        var changed = await On(b, creator).Client.PutAsJsonAsync($"/api/premium/{content}", PremiumApi.Draft(price: price));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    /// <summary>
    /// An unlock with one Idempotency-Key, retried with the same key once if it answers 409 CONTENT_CHANGED (the answer a
    /// stale remembered entry is documented to give): what the buyer ends up with.
    /// </summary>
    private static async Task<HttpResponseMessage> UnlockRetryingOnceAsync(Session buyer, Guid content)
    {
        var key = "unlock-" + Guid.NewGuid().ToString("N");
        var answer = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));
        if (answer.StatusCode == HttpStatusCode.Conflict)
        {
            await answer.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
            answer = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));
        }

        return answer;
    }

    private static async Task AssertCreatedAsync(HttpResponseMessage answer, long amount)
    {
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.Created, $"expected 201 at {amount}, got {(int)answer.StatusCode}: {body}");
        Assert.Equal(amount, (await answer.JsonAsync()).GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_price_lowered_on_B_is_sold_at_that_price_on_A_not_refused_as_unaffordable()
    {
        var (creator, content) = await RememberedOnAAsync(20_000);
        var buyer = await A.RegisterAsync();
        await A.FundAsync(buyer, 15_000);
        await SetPriceOnBAsync(B, creator, content, 10_000);

        // The content costs 10,000 now and the buyer holds 15,000. A's remembered 20,000 must not decide the answer.
        var answer = await UnlockRetryingOnceAsync(buyer, content);

        await AssertCreatedAsync(answer, 10_000);
        Assert.Equal(5_000, await A.BalanceAsync(buyer.UserId));
        await A.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_price_lowered_on_B_is_not_refused_on_A_as_over_the_daily_limit_nor_audited_as_fraud()
    {
        var (creator, content) = await RememberedOnAAsync(20_000);
        var other = await A.CreatorAsync();
        var cheap = await other.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = await A.RegisterAsync();
        await A.FundAsync(buyer, 50_000);
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(cheap)).StatusCode); // 10,000 of 25,000 spent today
        await SetPriceOnBAsync(B, creator, content, 10_000);

        // 10,000 more makes 20,000 today, under the limit; A's remembered 20,000 would make 30,000.
        var answer = await UnlockRetryingOnceAsync(buyer, content);

        await AssertCreatedAsync(answer, 10_000);
        var frauds = await A.WithDbAsync(db => db.AuditLogs
            .Where(a => a.Action.StartsWith("fraud.") && a.EntityId == buyer.UserId.ToString()).Select(a => a.Action).ToListAsync());
        Assert.Empty(frauds);
        await A.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task One_buyer_racing_itself_on_a_remembered_content_pays_once()
    {
        var (_, content) = await RememberedOnAAsync(5_000);
        var buyer = await A.RegisterAsync();
        await A.FundAsync(buyer, 20_000);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => buyer.UnlockAsync(content)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        }

        Assert.Equal(15_000, await A.BalanceAsync(buyer.UserId));
        var unlockTxs = await A.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.ActorId == buyer.UserId
            && t.Kind == TransactionKind.Unlock));
        Assert.Equal(1, unlockTxs);
        await A.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Buyers_on_A_racing_price_changes_on_B_each_pay_a_price_the_content_had_and_get_it()
    {
        var (creator, content) = await RememberedOnAAsync(5_000);
        var buyers = await A.CreateFundedUsersAsync(8, 50_000);
        var prices = new[] { 6_000L, 7_000L, 5_000L };

        var unlocks = Task.WhenAll(buyers.Select(b => UnlockRetryingOnceAsync(b, content)));
        foreach (var price in prices)
        {
            await SetPriceOnBAsync(B, creator, content, price);
        }

        var answers = await unlocks;
        var paid = new List<long>();
        foreach (var (answer, buyer) in answers.Zip(buyers))
        {
            if (answer.StatusCode == HttpStatusCode.Created)
            {
                var amount = (await answer.JsonAsync()).GetProperty("amount").GetInt64();
                Assert.Contains(amount, prices.Append(5_000));
                Assert.Equal(50_000 - amount, await A.BalanceAsync(buyer.UserId));
                paid.Add(amount);
            }
            else
            {
                await answer.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
                Assert.Equal(50_000, await A.BalanceAsync(buyer.UserId));
            }
        }

        var ids = buyers.Select(b => (Guid?)b.UserId).ToList();
        var (rows, count, charged) = await A.WithDbAsync(async db => (
            await db.ContentUnlocks.Where(u => u.ContentId == content).Select(u => u.Price).ToListAsync(),
            await db.PremiumContents.Where(c => c.Id == content).Select(c => c.UnlockCount).SingleAsync(),
            await db.LedgerTransactions.Where(t => t.Kind == TransactionKind.Unlock && ids.Contains(t.ActorId))
                .Select(t => t.Amount).ToListAsync()));
        Assert.Equal(paid.Count + 1, rows.Count); // and the first buyer's
        Assert.Equal(rows.Count, count);
        Assert.Equal(paid.Order(), charged.Order());
        await A.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_remembered_content_whose_creator_deleted_their_account_on_B_sells_nothing()
    {
        var (creator, content) = await RememberedOnAAsync(5_000);
        var buyer = await A.RegisterAsync();
        await A.FundAsync(buyer, 20_000);
        Assert.Equal(HttpStatusCode.NoContent, (await On(B, creator).Client.DeleteAsync("/api/users/me")).StatusCode);

        var answer = await buyer.UnlockAsync(content);
        if (answer.StatusCode == HttpStatusCode.Conflict)
        {
            await answer.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
            answer = await buyer.UnlockAsync(content);
        }

        await answer.ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        Assert.Equal(20_000, await A.BalanceAsync(buyer.UserId));
        await A.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Own_remembered_content_is_refused_on_both_instances_and_moves_nothing()
    {
        var (creator, content) = await RememberedOnAAsync(5_000);
        await A.FundAsync(creator, 10_000);

        await creator.UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "OWN_CONTENT");
        await On(B, creator).UnlockAsync(content).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "OWN_CONTENT");
        Assert.Equal(10_000, await A.BalanceAsync(creator.UserId));
        await A.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task An_unlock_on_A_writes_its_events_with_the_commit_once_each_in_order()
    {
        var (creator, content) = await RememberedOnAAsync(5_000);
        var buyer = await A.RegisterAsync();
        await A.FundAsync(buyer, 20_000);
        var before = await A.WithDbAsync(db => db.Set<RealtimeEvent>().CountAsync(e => e.UserId == creator.UserId));

        await AssertCreatedAsync(await buyer.UnlockAsync(content), 5_000);

        var (creatorEvents, buyerSeqs, last) = await A.WithDbAsync(async db => (
            await db.Set<RealtimeEvent>().Where(e => e.UserId == creator.UserId).Select(e => e.Type).ToListAsync(),
            await db.Set<RealtimeEvent>().Where(e => e.UserId == buyer.UserId).OrderBy(e => e.Seq).Select(e => e.Seq).ToListAsync(),
            await db.Set<RealtimeSequence>().Where(s => s.UserId == buyer.UserId).Select(s => s.LastSeq).SingleAsync()));
        Assert.Equal(before + 1, creatorEvents.Count);
        Assert.Equal(2, creatorEvents.Count(t => t == WalletEvents.ContentUnlocked));
        Assert.Equal(Enumerable.Range(1, buyerSeqs.Count).Select(i => (long)i), buyerSeqs);
        Assert.Equal(buyerSeqs.Count, last);
    }
}

/// <summary>
/// Runs a hook once, when armed, right after a unit of work saved its audit row: the posting's locks are held and its
/// COMMIT (with the realtime events) comes next.
/// </summary>
public sealed class AfterAuditHook : DbCommandInterceptor
{
    private Func<Task>? _armed;

    public void Arm(Func<Task> hook) => Interlocked.Exchange(ref _armed, hook);

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        DbDataReader result, CancellationToken cancellationToken = default)
    {
        await FireAsync(command);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        await FireAsync(command);
        return result;
    }

    private async Task FireAsync(DbCommand command)
    {
        if (command.CommandText.Contains("INSERT INTO audit_logs", StringComparison.Ordinal)
            && Interlocked.Exchange(ref _armed, null) is { } hook)
        {
            await hook();
        }
    }
}

/// <summary>An <see cref="AfterAuditHook"/> in the DbContext; the service's sessions give up a lock wait in a cycle after 20 ms.
/// </summary>
public sealed class DeadlockAtCommitSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.ConnectionOptions = ";Options=-c deadlock_timeout=20ms";
        app.ConfigureServices(s =>
        {
            s.AddSingleton<AfterAuditHook>();
            s.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<AfterAuditHook>());
        });
    }
}

/// <summary>A deadlock met by the events sent with the COMMIT: the unit of work retries it, and money and events land once.</summary>
public sealed class CommitBatchReviewDeadlockTests(App<Postgres, DeadlockAtCommitSettings> app)
    : IClassFixture<App<Postgres, DeadlockAtCommitSettings>>
{
    private async Task<NpgsqlConnection> OpenAsync()
    {
        // The test's own sessions wait long before checking for a cycle, so the service's session is the one given up.
        var cs = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Options = "-c deadlock_timeout=10s" }.ConnectionString;
        var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task A_deadlock_on_the_events_sent_with_the_commit_is_retried_and_moves_money_once()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(a, 50_000);
        await app.FundAsync(b, 10_000);
        var (first, second) = (new[] { a.UserId, b.UserId }.Order().First(), new[] { a.UserId, b.UserId }.Order().Last());
        var eventsBefore = await app.WithDbAsync(db => db.Set<RealtimeEvent>()
            .CountAsync(e => e.UserId == a.UserId || e.UserId == b.UserId));

        await using var holder = await OpenAsync();
        await using var watcher = await OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        var pid = await ScalarAsync<int>(holder, "SELECT pg_backend_pid()");
        // The later of the two users' sequence rows, in the order the outbox writes them.
        await ScalarAsync<long>(holder, "SELECT last_seq FROM realtime_sequences WHERE user_id = @id FOR UPDATE", second);

        Task<long>? waiting = null;
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<AfterAuditHook>().Arm(async () =>
        {
            // The transfer holds both wallets: wait on the first one's, then let the transfer go on to its COMMIT batch.
            waiting = ScalarAsync<long>(holder,
                "WITH u AS (UPDATE accounts SET updated_at = updated_at WHERE owner_id = @id AND kind = 'wallet' RETURNING 1) "
                + "SELECT count(*) FROM u", first);
            for (var i = 0; i < 100_000 && await ScalarAsync<string>(watcher,
                "SELECT coalesce(wait_event_type, '') FROM pg_stat_activity WHERE pid = @id", pid) != "Lock"; i++)
            {
            }

            fired.SetResult();
        });

        var transfer = a.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = b.UserId, amount = 7_000 });
        await Task.WhenAny(fired.Task, transfer);
        Assert.NotNull(waiting);
        Assert.Equal(1, await waiting); // the service's attempt was the one given up, not this session
        await tx.CommitAsync(); // its retry may go on
        var answer = await transfer;

        Assert.True(answer.StatusCode == HttpStatusCode.Created, await answer.Content.ReadAsStringAsync());
        Assert.Equal((43_000, 17_000), (await app.BalanceAsync(a.UserId), await app.BalanceAsync(b.UserId)));
        var (transfers, events) = await app.WithDbAsync(async db => (
            await db.LedgerTransactions.CountAsync(t => t.ActorId == a.UserId && t.Kind == TransactionKind.Transfer),
            await db.Set<RealtimeEvent>().CountAsync(e => e.UserId == a.UserId || e.UserId == b.UserId)));
        Assert.Equal((1, eventsBefore + 2), (transfers, events));
        foreach (var user in new[] { a.UserId, b.UserId })
        {
            var seqs = await app.WithDbAsync(db => db.Set<RealtimeEvent>().Where(e => e.UserId == user).OrderBy(e => e.Seq)
                .Select(e => e.Seq).ToListAsync());
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        }

        await app.AssertLedgerConsistentAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, object? id = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (id is not null)
        {
            command.Parameters.AddWithValue("id", id);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }
}
