using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Idempotency;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Idempotency;

public sealed class IdempotencyConcurrencyTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    internal static HttpRequestMessage Transfer(Guid to, long amount, string key, string? note = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            "/api/wallet/transfer") { Content = JsonContent.Create(new { toUserId = to, amount, note }) };
        request.Headers.Add(IdempotencyFilter.Header, key);
        return request;
    }

    [Fact]
    public async Task Fifty_parallel_requests_with_one_key_move_money_once()
    {
        var users = await app.CreateFundedUsersAsync(2, 100_000);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0,
            50).Select(_ => users[0].Client.SendAsync(Transfer(users[1].UserId, 3_000, key))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created
            && !r.Headers.Contains(IdempotencyFilter.ReplayedHeader)));
        Assert.Equal(97_000, await app.BalanceAsync(users[0].UserId));
        Assert.Equal(103_000, await app.BalanceAsync(users[1].UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Kind == TransactionKind.Transfer
            && t.ActorId == users[0].UserId)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_key_in_flight_answers_409_at_once_and_is_free_the_moment_its_attempt_ends()
    {
        var users = await app.CreateFundedUsersAsync(2, 100_000);
        var key = Guid.NewGuid().ToString();
        var bytes = await JsonContent.Create(new { toUserId = users[1].UserId, amount = 700, note = (string?)null }).ReadAsByteArrayAsync();

        // Another attempt holds the key: its transaction has claimed it and is still running.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SuperApp.Data.AppDbContext>();
            await using var attempt = await db.Database.BeginTransactionAsync();
            var store = scope.ServiceProvider.GetRequiredService<IdempotencyStore>();
            var claim = store.NewClaim(users[0].UserId, key, IdempotencyFilter.Fingerprint("POST", "/api/wallet/transfer", bytes));
            await claim.SendAsync(db, CancellationToken.None); // throws if the key were taken
            Assert.Equal(1, await db.IdempotencyRecords.CountAsync(r => r.Key == key));

            var busy = await users[0].Client.SendAsync(Transfer(users[1].UserId, 700, key));
            await busy.ShouldBeProblemAsync(HttpStatusCode.Conflict, "IDEMPOTENCY_IN_PROGRESS");
            // The attempt dies without completing: rolling back is all it takes to free the key.
        }

        Assert.Equal(HttpStatusCode.Created, (await users[0].Client.SendAsync(Transfer(users[1].UserId, 700, key))).StatusCode);
        Assert.Equal(99_300, await app.BalanceAsync(users[0].UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_request_that_failed_with_a_server_error_releases_its_key_and_the_retry_succeeds_once()
    {
        var users = await app.CreateFundedUsersAsync(2, 100_000);
        var key = Guid.NewGuid().ToString();
        // A real database failure inside the money transaction, not a simulated one.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""
            CREATE OR REPLACE FUNCTION fail_marked_transfers() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.note = 'explode' THEN RAISE EXCEPTION 'storage failure'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER fail_marked_transfers BEFORE INSERT ON ledger_transactions FOR EACH ROW EXECUTE FUNCTION fail_marked_transfers();
            """));
        try
        {
            var failed = await users[0].Client.SendAsync(Transfer(users[1].UserId, 5_000, key, "explode"));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            await failed.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
            Assert.False(await app.WithDbAsync(db => db.IdempotencyRecords.AnyAsync(r => r.Key == key)));
        }
        finally
        {
            await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TRIGGER fail_marked_transfers ON ledger_transactions"));
        }

        var retry = await users[0].Client.SendAsync(Transfer(users[1].UserId, 5_000, key, "explode"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var again = await users[0].Client.SendAsync(Transfer(users[1].UserId, 5_000, key, "explode"));
        Assert.Equal("true", again.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());
        Assert.Equal(95_000, await app.BalanceAsync(users[0].UserId));
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class IdempotencyAcrossInstancesTests(TwoInstances<Defaults> apps) : IClassFixture<TwoInstances<Defaults>>
{
    [Fact]
    public async Task The_same_key_sent_to_two_instances_at_once_moves_money_once()
    {
        var users = await apps.A.CreateFundedUsersAsync(2, 100_000);
        var tokenB = apps.B.CreateUserClient();
        tokenB.DefaultRequestHeaders.Authorization = users[0].Client.DefaultRequestHeaders.Authorization;
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? users[0].Client : tokenB)
            .SendAsync(IdempotencyConcurrencyTests.Transfer(users[1].UserId, 4_000, key))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Equal(96_000, await apps.A.BalanceAsync(users[0].UserId));
        await apps.A.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_recipient_deleted_through_another_instance_gets_nothing_even_while_this_one_caches_them_as_active()
    {
        var users = await apps.A.CreateFundedUsersAsync(2, 100_000);
        var (payer, payee) = (users[0], users[1]);
        // Instance A now holds the payee's status, active, in its short cache.
        Assert.Equal(HttpStatusCode.Created,
            (await payer.Client.SendAsync(IdempotencyConcurrencyTests.Transfer(payee.UserId, 1_000, Guid.NewGuid().ToString())))
                .StatusCode);

        var onB = apps.B.CreateUserClient();
        onB.DefaultRequestHeaders.Authorization = payee.Client.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.NoContent, (await onB.DeleteAsync("/api/users/me")).StatusCode);

        var refused = await payer.Client.SendAsync(IdempotencyConcurrencyTests.Transfer(payee.UserId, 2_000, Guid.NewGuid().ToString()));
        await refused.ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        Assert.Equal(99_000, await apps.A.BalanceAsync(payer.UserId));
        Assert.Equal(101_000, await apps.A.BalanceAsync(payee.UserId));
        await apps.A.AssertLedgerConsistentAsync();
    }
}

public sealed class IdempotencyOffSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["IDEMPOTENCY_ENABLED"] = "false";
    }
}

public sealed class IdempotencyDisabledTests(App<Postgres, IdempotencyOffSettings> app)
    : IClassFixture<App<Postgres, IdempotencyOffSettings>>
{
    [Fact]
    public async Task With_the_feature_off_no_key_is_needed()
    {
        var users = await app.CreateFundedUsersAsync(2, 10_000);
        using var raw = app.CreateClient();
        raw.DefaultRequestHeaders.Authorization = users[0].Client.DefaultRequestHeaders.Authorization;
        var response = await raw.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = users[1].UserId, amount = 10 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
