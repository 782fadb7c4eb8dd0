using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Ledger;

/// <summary>
/// PostgreSQL's own double-entry check (a deferred trigger per entry) keeps one cached plan for its query, and still
/// refuses an unbalanced transaction once that plan is cached, on a table of three-entry purchases.
/// </summary>
public sealed class BalanceCheckTests : IAsyncLifetime
{
    private const string PlanSetting = "plan_cache_mode=force_generic_plan";
    private string _connection = "";

    public async ValueTask InitializeAsync() => _connection = await TestServers.CreatePostgresDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        await TestServers.DropPostgresDatabaseAsync(_connection);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task The_check_uses_its_cached_plan_and_still_refuses_an_unbalanced_transaction()
    {
        await using var db = Context();
        await db.GetService<IMigrator>().MigrateAsync();
        Assert.Contains(PlanSetting, await SettingsAsync(db));

        var (buyer, creator, platform) = (await AccountAsync(db), await AccountAsync(db), await AccountAsync(db));
        // More than the five executions after which PostgreSQL settles on a plan, in one session.
        for (var i = 0; i < 8; i++)
        {
            await PostAsync(db, [(buyer, -1_000), (creator, 900), (platform, 100)]);
        }

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            PostAsync(db, [(buyer, -1_000), (creator, 900), (platform, 99)]));
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        Assert.Equal((-8_000L, 7_200L, 800L),
            (await BalanceAsync(db, buyer), await BalanceAsync(db, creator), await BalanceAsync(db, platform)));
        Assert.True((await LedgerVerifier.VerifyAsync(db, CancellationToken.None)).Ok);

        await db.GetService<IMigrator>().MigrateAsync("LeaderboardReadByKey");
        Assert.DoesNotContain(PlanSetting, await SettingsAsync(db));
    }

    private PostgresDbContext Context() => new(new DbContextOptionsBuilder<PostgresDbContext>()
        .UseNpgsql(_connection, o => o.MigrationsHistoryTable("__ef_migrations_history")).UseSnakeCaseNamingConvention().Options);

    private static Task<List<string>> SettingsAsync(AppDbContext db) => db.Database.SqlQuery<string>($"""
        SELECT unnest(proconfig) AS "Value" FROM pg_proc WHERE proname = 'ledger_transaction_balanced'
        """).ToListAsync();

    /// <summary>A system account of its own (these may go negative), so the test moves money without funding anyone.</summary>
    private static async Task<Guid> AccountAsync(AppDbContext db)
    {
        var id = Guid.CreateVersion7();
        var shard = Random.Shared.Next(1_000, int.MaxValue);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO accounts (id, owner_id, kind, shard, balance, status, created_at, updated_at)
            VALUES ({id}, {SystemAccounts.Owner}, 'external_funding', {shard}, 0, 'active', {DateTime.UtcNow}, {DateTime.UtcNow})
            """);
        return id;
    }

    private static Task<long> BalanceAsync(AppDbContext db, Guid account) =>
        db.Database.SqlQuery<long>($"""SELECT balance AS "Value" FROM accounts WHERE id = {account}""").SingleAsync();

    private static async Task PostAsync(AppDbContext db, (Guid Account, long Amount)[] postings)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var (tx, now) = (Guid.CreateVersion7(), DateTime.UtcNow);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO ledger_transactions (id, kind, amount, currency, created_at) VALUES ({tx}, 'gift', 1000, 'IDR', {now})
            """);
        foreach (var (account, amount) in postings)
        {
            await db.Database.ExecuteSqlAsync($"""
                WITH moved AS (UPDATE accounts SET balance = balance + {amount} WHERE id = {account} RETURNING balance)
                INSERT INTO ledger_entries (id, transaction_id, account_id, amount, balance_after, created_at)
                SELECT {Guid.CreateVersion7()}, {tx}, {account}, {amount}, balance, {now} FROM moved
                """);
        }

        await transaction.CommitAsync();
    }
}
