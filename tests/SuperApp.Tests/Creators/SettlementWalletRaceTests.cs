using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Creators;

/// <summary>
/// A rival settler of the same creator, started the moment a settlement has locked the creator's pending shards: it
/// creates the creator's first wallet, locks it (as a settler does, before the shards) and asks for the shards.
/// </summary>
public sealed class RivalSettler : DbCommandInterceptor
{
    private readonly Lock _gate = new();
    private (Guid Creator, string ConnectionString)? _armed;

    public Task? Rival { get; private set; }

    public void Arm(Guid creatorId, string connectionString)
    {
        lock (_gate)
        {
            _armed = (creatorId, connectionString);
        }
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        DbDataReader result, CancellationToken cancellationToken = default)
    {
        (Guid Creator, string ConnectionString)? armed = null;
        if (command.CommandText.Contains("shard AS number", StringComparison.Ordinal)
            && command.CommandText.Contains("FOR UPDATE", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                (armed, _armed) = (_armed, null);
            }
        }

        if (armed is { } a)
        {
            var settler = ((NpgsqlConnection)command.Connection!).ProcessID;
            Rival = RunRivalAsync(a.Creator, a.ConnectionString);
            await WaitUntilBlockedAsync(a.ConnectionString, settler);
        }

        return result;
    }

    private static async Task RunRivalAsync(Guid creator, string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using (var open = new NpgsqlCommand("""
            INSERT INTO accounts (id, owner_id, kind, shard, balance, status, created_at, updated_at)
            VALUES (gen_random_uuid(), @c, 'wallet', 0, 0, 'active', now(), now())
            """, conn))
        {
            open.Parameters.AddWithValue("c", creator);
            await open.ExecuteNonQueryAsync();
        }

        await using var tx = await conn.BeginTransactionAsync();
        await using (var wallet = new NpgsqlCommand(
            "UPDATE accounts SET balance = balance WHERE owner_id = @c AND kind = 'wallet'", conn, tx))
        {
            wallet.Parameters.AddWithValue("c", creator);
            await wallet.ExecuteNonQueryAsync();
        }

        await using (var shards = new NpgsqlCommand(
            "SELECT id FROM accounts WHERE owner_id = @c AND kind = 'earnings_pending' ORDER BY shard FOR UPDATE", conn, tx))
        {
            shards.Parameters.AddWithValue("c", creator);
            await using var reader = await shards.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        await tx.CommitAsync();
    }

    /// <summary>Until the rival waits on a lock the settlement holds (bounded; never sleeps on a timer).</summary>
    private static async Task WaitUntilBlockedAsync(string connectionString, int settler)
    {
        await using var probe = new NpgsqlConnection(connectionString);
        await probe.OpenAsync();
        for (var i = 0; i < 100_000; i++)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE @settler = ANY (pg_blocking_pids(pid)) AND query LIKE '%FOR UPDATE%'", probe);
            cmd.Parameters.AddWithValue("settler", settler);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0)
            {
                return;
            }
        }

        throw new InvalidOperationException("The rival settler never waited on the settlement's shards.");
    }
}

/// <summary>
/// A creator's first settlement finds no wallet to lock before the shards. Posting into a wallet that a rival settler
/// created and locked meanwhile would wait on it while holding the shards the rival waits on: a deadlock. The
/// settlement instead runs again once the wallet exists, taking the wallet's lock first.
/// </summary>
public sealed class SettlementWalletRaceTests(App<Postgres, InterceptorSettings<RivalSettler>> app)
    : IClassFixture<App<Postgres, InterceptorSettings<RivalSettler>>>
{
    [Fact]
    public async Task A_first_settlement_raced_by_a_settler_that_creates_the_wallet_waits_in_lock_order_instead_of_deadlocking()
    {
        var (admin, creator, pending) = await app.FirstSettlementAsync();

        var rival = app.Services.GetRequiredService<RivalSettler>();
        rival.Arm(creator.UserId, app.ConnectionString);
        var settled = await admin.Client.PostAsJsonAsync("/api/admin/revenue/settle", new { creatorId = creator.UserId });

        Assert.Equal(HttpStatusCode.OK, settled.StatusCode);
        await rival.Rival!; // a deadlock would have failed one of the two: the rival, which waited first
        Assert.Equal(pending, (await settled.JsonAsync()).GetProperty("totalAmount").GetInt64());
        Assert.Equal((0L, pending),
            (await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending), await app.BalanceAsync(creator.UserId)));
        await app.AssertLedgerConsistentAsync();
    }
}

internal static class FirstSettlement
{
    /// <summary>A creator with pending earnings past the holding period and no wallet yet, and an admin to settle them.</summary>
    public static async Task<(Session Admin, Session Creator, long Pending)> FirstSettlementAsync(this AppFixture app)
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync();
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 100_000);
        Assert.Equal(HttpStatusCode.Created, (await fan.GiftAsync(creator.UserId, "coffee")).StatusCode);
        await app.AdvanceAsync(new RevenueOptions().HoldingPeriod + TimeSpan.FromMinutes(1), admin, creator, fan);
        var pending = await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending);
        Assert.True(pending > 0);
        Assert.False(await app.WithDbAsync(db => db.Accounts.AnyAsync(a => a.OwnerId == creator.UserId && a.Kind == AccountKind.Wallet)));
        return (admin, creator, pending);
    }
}
