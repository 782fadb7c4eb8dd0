using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SuperApp.Features.Ledger;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

/// <summary>
/// A chargeback that read a held top-up, then waited while an admin released it into the wallet. The order is made
/// deterministic by holding the wallet's row from the test: the release queues on it first, the chargeback second.
/// </summary>
public sealed class ChargebackRaceTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    [Fact]
    public async Task A_chargeback_queued_behind_a_release_takes_the_money_back_out_of_the_wallet()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 150_000);
        await admin.FreezeAsync(s.UserId);
        Assert.Equal("held", await app.WebhookStatusAsync(reference, "paid", 150_000));
        await admin.UnfreezeAsync(s.UserId);

        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        Task<HttpResponseMessage> release, chargeback;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            const string Hold = "SELECT 1 FROM accounts WHERE owner_id = @id AND kind = 'wallet' FOR UPDATE";
            await using (var hold = new NpgsqlCommand(Hold, conn, tx))
            {
                hold.Parameters.AddWithValue("id", s.UserId);
                Assert.Equal(1, await hold.ExecuteScalarAsync());
            }

            release = admin.ResolveTopupAsync(id, "release", "checked and fine");
            await WaitForLockWaitersAsync(1, release);
            chargeback = app.SendWebhookAsync(reference, "chargeback", 150_000);
            await WaitForLockWaitersAsync(2, chargeback);
            await tx.CommitAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await release).StatusCode);
        var answer = await chargeback;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("charged_back", (await answer.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(TopupStatus.ChargedBack,
            await app.WithDbAsync(db => db.Topups.Where(t => t.Id == id).Select(t => t.Status).SingleAsync()));
        // Released into the wallet, then taken back out of it: the wallet keeps nothing the provider reclaimed.
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.Equal(2, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t =>
            t.Reference == $"topup:{id}:release" || t.Reference == $"topup:{id}:chargeback")));
        Assert.Equal(0, await app.BalanceAsync(Guid.Empty, AccountKind.ChargebackLosses));
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>Until <paramref name="count"/> sessions wait on a lock in this database (bounded; it never sleeps on a timer).</summary>
    private async Task WaitForLockWaitersAsync(int count, Task pending)
    {
        await using var probe = new NpgsqlConnection(app.ConnectionString);
        await probe.OpenAsync();
        for (var i = 0; i < 100_000 && !pending.IsCompleted; i++)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", probe);
            if ((long)(await cmd.ExecuteScalarAsync())! >= count)
            {
                return;
            }
        }

        Assert.Fail(pending.IsCompleted ? "The request finished instead of waiting on the wallet." : "No request waited on the wallet.");
    }
}
