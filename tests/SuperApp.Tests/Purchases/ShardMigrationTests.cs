using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Purchases;

/// <summary>
/// The migration that splits system accounts into shards, on a database that already holds money:
/// up keeps every account's balance and every total, and counts today's purchases towards the
/// daily limit; down folds the shards back into one row each without changing a total.
/// </summary>
public abstract class ShardMigrationTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Before = "DropUnusedCompleted";
    private const string Sharded = "ShardedSystemAccounts";
    private static readonly Guid Buyer = Guid.CreateVersion7();
    private static readonly Guid Creator = Guid.CreateVersion7();
    private string _connection = "";

    public async ValueTask InitializeAsync() => _connection = provider == DatabaseProvider.Postgres
        ? await TestServers.CreatePostgresDatabaseAsync()
        : TestServers.NewSqliteDatabase();

    public async ValueTask DisposeAsync()
    {
        if (provider == DatabaseProvider.Postgres)
        {
            await TestServers.DropPostgresDatabaseAsync(_connection);
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Migrating_up_and_down_keeps_every_total()
    {
        await using (var db = Context())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
            await ArrangeMoneyAsync(db);
        }

        await using (var db = Context())
        {
            var before = await BalancesAsync(db);
            await db.GetService<IMigrator>().MigrateAsync();
            Assert.Equal(before, await BalancesAsync(db));
            var report = await LedgerVerifier.VerifyAsync(db, CancellationToken.None);
            Assert.True(report.Ok);
            var spent = await db.DailySpends.Where(d => d.UserId == Buyer).Select(d => d.Spent).SingleAsync();
            Assert.Equal(10_000, spent);

            // A purchase on another shard, as the service would post it, then back down.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO accounts (id, owner_id, kind, shard, balance, status, created_at, updated_at)
                VALUES ({Guid.CreateVersion7()}, {SystemAccounts.Owner}, 'platform_revenue', 7, 0, 'active',
                        {DateTime.UtcNow}, {DateTime.UtcNow})
                """);
            await PostAsync(db, "gift",
                [(Buyer, "wallet", -7_000), (Creator, "earnings_pending", 6_300), (SystemAccounts.Owner, "platform_revenue", 700)],
                shard: 7);
            Assert.True((await LedgerVerifier.VerifyAsync(db, CancellationToken.None)).Ok);
            var sharded = await BalancesAsync(db);
            await db.GetService<IMigrator>().MigrateAsync(Before);
            Assert.Equal(sharded, await BalancesAsync(db));
        }
    }

    private AppDbContext Context() => provider == DatabaseProvider.Postgres
        ? new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>()
            .UseNpgsql(_connection, o => o.MigrationsHistoryTable("__ef_migrations_history")).UseSnakeCaseNamingConvention().Options)
        : new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>()
            .UseSqlite(_connection, o => o.MigrationsHistoryTable("__ef_migrations_history")).UseSnakeCaseNamingConvention().Options);

    /// <summary>A top-up and a gift of today, written as the ledger wrote them before shards existed.</summary>
    private static async Task ArrangeMoneyAsync(AppDbContext db)
    {
        foreach (var (owner, kind) in new[] { (Buyer, "wallet"), (Creator, "earnings_pending") })
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO accounts (id, owner_id, kind, balance, status, created_at, updated_at)
                VALUES ({Guid.CreateVersion7()}, {owner}, {kind}, 0, 'active', {DateTime.UtcNow}, {DateTime.UtcNow})
                """);
        }

        await PostAsync(db, "topup", [(SystemAccounts.Owner, "external_funding", -50_000), (Buyer, "wallet", 50_000)]);
        await PostAsync(db, "gift",
            [(Buyer, "wallet", -10_000), (Creator, "earnings_pending", 9_000), (SystemAccounts.Owner, "platform_revenue", 1_000)]);
    }

    private static async Task PostAsync(AppDbContext db, string kind, (Guid Owner, string Kind, long Amount)[] postings, int? shard = null)
    {
        // One database transaction, as the ledger posts: PostgreSQL checks at commit that the entries sum to zero.
        await using var transaction = await db.Database.BeginTransactionAsync();
        var tx = Guid.CreateVersion7();
        var amount = postings.Where(p => p.Amount > 0).Sum(p => p.Amount);
        var now = DateTime.UtcNow;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO ledger_transactions (id, kind, amount, currency, created_at) VALUES ({tx}, {kind}, {amount}, 'IDR', {now})
            """);
        foreach (var (owner, account, change) in postings)
        {
            var id = shard is { } onShard
                ? await db.Database.SqlQuery<Guid>($"""
                    SELECT id AS "Value" FROM accounts
                    WHERE owner_id = {owner} AND kind = {account} AND shard = {(owner == SystemAccounts.Owner ? onShard : 0)}
                    """).SingleAsync()
                : await db.Database.SqlQuery<Guid>($"""
                    SELECT id AS "Value" FROM accounts WHERE owner_id = {owner} AND kind = {account}
                    """).SingleAsync();
            await db.Database.ExecuteSqlAsync($"UPDATE accounts SET balance = balance + {change} WHERE id = {id}");
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO ledger_entries (id, transaction_id, account_id, amount, balance_after, created_at)
                VALUES ({Guid.CreateVersion7()}, {tx}, {id}, {change}, (SELECT balance FROM accounts WHERE id = {id}), {now})
                """);
        }

        await transaction.CommitAsync();
    }

    /// <summary>Each account's balance by owner and kind (shards summed), and the entries' total.</summary>
    private static async Task<string> BalancesAsync(AppDbContext db)
    {
        var rows = await db.Database.SqlQuery<string>($"""
            SELECT owner_id || ' ' || kind || ' ' || SUM(balance) AS "Value" FROM accounts GROUP BY owner_id, kind
            """).ToListAsync();
        var entries = await db.Database.SqlQuery<long>($"""SELECT COALESCE(SUM(amount), 0) AS "Value" FROM ledger_entries""")
            .SingleAsync();
        return string.Join("\n", rows.Order()) + $"\nentries {entries}";
    }
}

public sealed class ShardMigrationTestsOnPostgres() : ShardMigrationTests(DatabaseProvider.Postgres);

public sealed class ShardMigrationTestsOnSqlite() : ShardMigrationTests(DatabaseProvider.Sqlite);
