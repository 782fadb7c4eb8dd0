using System.Net;
using Npgsql;
using SuperApp.Platform.Idempotency;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;

namespace SuperApp.Tests.Idempotency;

/// <summary>
/// A "try again" answer (409 CONTENT_CHANGED) is not the key's final answer: the retry with the same
/// key runs again. The change is made deterministic by holding the content row locked from the test
/// until the unlock waits on it, then committing a price change under it.
/// </summary>
public sealed class TryAgainTests(App<Postgres, PremiumSettings> app) : IClassFixture<App<Postgres, PremiumSettings>>
{
    [Fact]
    public async Task A_content_changed_answer_is_not_stored_and_the_retry_with_the_same_key_runs_again()
    {
        var creator = await app.CreatorAsync();
        var contentId = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 50_000);
        // The creator's first sale creates their earnings rows and runs its unit of work again; that
        // happens here, so the race below has one attempt only (a second would read the new price).
        var other = await app.RegisterAsync();
        await app.FundAsync(other, 50_000);
        Assert.Equal(HttpStatusCode.Created,
            (await other.UnlockAsync(await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000)))).StatusCode);
        var key = Guid.NewGuid().ToString();

        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await using (var change = new NpgsqlCommand("UPDATE premium_contents SET price = price + 1 WHERE id = @id", conn, tx))
            {
                change.Parameters.AddWithValue("id", contentId);
                Assert.Equal(1, await change.ExecuteNonQueryAsync());
            }

            var first = buyer.Client.SendAsync(PremiumApi.Unlock(contentId, key));
            await WaitUntilBlockedAsync(first, conn.ProcessID);
            await tx.CommitAsync();
            var answer = await first;
            await answer.ShouldBeProblemAsync(HttpStatusCode.Conflict, "CONTENT_CHANGED");
        }

        await using (var back = new NpgsqlCommand("UPDATE premium_contents SET price = 10000 WHERE id = @id", conn))
        {
            back.Parameters.AddWithValue("id", contentId);
            await back.ExecuteNonQueryAsync();
        }

        var retry = await buyer.Client.SendAsync(PremiumApi.Unlock(contentId, key));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        var replay = await buyer.Client.SendAsync(PremiumApi.Unlock(contentId, key));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        Assert.Equal(40_000, await app.BalanceAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// Until the unlock's count update waits on the row lock the test holds (bounded; it never sleeps on a timer). Only
    /// that statement, blocked by the test's own connection, counts: by then the unlock has read the price it was shown.
    /// </summary>
    private async Task WaitUntilBlockedAsync(Task pending, int holder)
    {
        await using var probe = new NpgsqlConnection(app.ConnectionString);
        await probe.OpenAsync();
        for (var i = 0; i < 100_000 && !pending.IsCompleted; i++)
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND @holder = ANY (pg_blocking_pids(pid)) AND wait_event_type = 'Lock'
                  AND query LIKE '%unlock_count = unlock_count + 1%'
                """, probe);
            cmd.Parameters.AddWithValue("holder", holder);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0)
            {
                return;
            }
        }

        Assert.Fail("The unlock never waited on the content row.");
    }
}
