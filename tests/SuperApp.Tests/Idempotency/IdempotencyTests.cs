using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Idempotency;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Idempotency;

public abstract class IdempotencyTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static HttpRequestMessage Transfer(Guid to, long amount, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post,
            "/api/wallet/transfer") { Content = JsonContent.Create(new { toUserId = to, amount }) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyFilter.Header, key);
        }

        return request;
    }

    private async Task<(Session Payer, Session Payee)> PairAsync(long funds = 100_000)
    {
        var payer = await app.RegisterAsync();
        await app.FundAsync(payer, funds);
        return (payer, await app.RegisterAsync());
    }

    private Task<int> TransfersOfAsync(Guid payer) =>
        app.WithDbAsync(db => db.LedgerEntries.CountAsync(e => e.Amount < 0 &&
            db.Accounts.Any(a => a.Id == e.AccountId && a.OwnerId == payer) &&
            db.LedgerTransactions.Any(t => t.Id == e.TransactionId && t.Kind == TransactionKind.Transfer)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("caf\u00e9")]
    [InlineData("tab\there")]
    public async Task A_missing_or_malformed_key_is_refused_and_moves_nothing(string? key)
    {
        var (payer, payee) = await PairAsync();
        using var raw = app.CreateClient();
        raw.DefaultRequestHeaders.Authorization = payer.Client.DefaultRequestHeaders.Authorization;

        await raw.SendAsync(Transfer(payee.UserId, 1_000, key))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "IDEMPOTENCY_KEY_REQUIRED");
        Assert.Equal(100_000, await app.BalanceAsync(payer.UserId));
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("same", "same")]
    public async Task Two_key_headers_or_a_key_with_a_comma_are_refused_and_move_nothing(string first, string second)
    {
        var (payer, payee) = await PairAsync();
        var twice = Transfer(payee.UserId, 1_000, first);
        twice.Headers.TryAddWithoutValidation(IdempotencyFilter.Header, second);
        var problem = await payer.Client.SendAsync(twice).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "IDEMPOTENCY_KEY_REQUIRED");
        Assert.False(string.IsNullOrEmpty(problem.Body.GetProperty("detail").GetString()));
        Assert.True(problem.Body.TryGetProperty("type", out _));

        await payer.Client.SendAsync(Transfer(payee.UserId, 1_000, $"{first},{second}"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "IDEMPOTENCY_KEY_REQUIRED");
        Assert.Equal(100_000, await app.BalanceAsync(payer.UserId));
        Assert.Equal(0, await TransfersOfAsync(payer.UserId));
    }

    [Fact]
    public async Task A_256_character_key_is_refused_and_255_is_accepted()
    {
        var (payer, payee) = await PairAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await payer.Client.SendAsync(Transfer(payee.UserId, 1, new string('k', 256)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await payer.Client.SendAsync(Transfer(payee.UserId, 1, new string('k', 255)))).StatusCode);
    }

    /// <summary>Puts a key's record just past its retention, as if a day had gone by.</summary>
    private Task<int> ExpireAsync(string key) =>
        app.WithDbAsync(db => db.IdempotencyRecords.Where(r => r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, DateTime.UtcNow.AddSeconds(-1))));

    [Fact]
    public async Task A_repeated_request_is_replayed_byte_for_byte_and_moves_money_once()
    {
        var (payer, payee) = await PairAsync();
        var key = Guid.NewGuid().ToString();

        var first = await payer.Client.SendAsync(Transfer(payee.UserId, 2_500, key));
        var second = await payer.Client.SendAsync(Transfer(payee.UserId, 2_500, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(first.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        Assert.Equal("true", second.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(97_500, await app.BalanceAsync(payer.UserId));
        Assert.Equal(1, await TransfersOfAsync(payer.UserId));
    }

    [Fact]
    public async Task The_same_key_with_a_different_request_is_refused()
    {
        var (payer, payee) = await PairAsync();
        var key = Guid.NewGuid().ToString();
        await payer.Client.SendAsync(Transfer(payee.UserId, 1_000, key));

        var problem = await payer.Client.SendAsync(Transfer(payee.UserId, 2_000, key))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");
        foreach (var member in new[] { "type", "title", "detail" })
        {
            Assert.False(string.IsNullOrEmpty(problem.Body.GetProperty(member).GetString()), member);
        }

        Assert.Equal(99_000, await app.BalanceAsync(payer.UserId));
    }

    [Fact]
    public async Task Keys_are_scoped_per_user()
    {
        var (alice, payee) = await PairAsync();
        var (bob, _) = await PairAsync();
        var key = "shared-" + Guid.NewGuid().ToString("N");

        Assert.Equal(HttpStatusCode.Created, (await alice.Client.SendAsync(Transfer(payee.UserId, 1_000, key))).StatusCode);
        var bobs = await bob.Client.SendAsync(Transfer(payee.UserId, 1_000, key));
        Assert.Equal(HttpStatusCode.Created, bobs.StatusCode);
        Assert.False(bobs.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        Assert.Equal(99_000, await app.BalanceAsync(alice.UserId));
        Assert.Equal(99_000, await app.BalanceAsync(bob.UserId));
        Assert.Equal(2_000, await app.BalanceAsync(payee.UserId));
    }

    [Fact]
    public async Task Parallel_duplicates_move_money_once_and_get_the_replay_or_409()
    {
        var (payer, payee) = await PairAsync();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => payer.Client.SendAsync(Transfer(payee.UserId, 2_500, key))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created
            && !r.Headers.Contains(IdempotencyFilter.ReplayedHeader)));
        Assert.Equal(1, await TransfersOfAsync(payer.UserId));
        Assert.Equal(97_500, await app.BalanceAsync(payer.UserId));
    }

    [Fact]
    public async Task A_4xx_answer_is_final_for_its_key()
    {
        var (payer, payee) = await PairAsync(funds: 10_000);
        var key = Guid.NewGuid().ToString();
        var first = await payer.Client.SendAsync(Transfer(payee.UserId, 50_000, key));
        await first.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");

        await app.FundAsync(payer, 100_000);
        var retry = await payer.Client.SendAsync(Transfer(payee.UserId, 50_000, key));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());
        Assert.Equal(110_000, await app.BalanceAsync(payer.UserId));
    }

    [Fact]
    public async Task A_retry_gets_the_stored_answer_even_when_the_request_would_now_be_refused()
    {
        var (payer, payee) = await PairAsync();
        var key = Guid.NewGuid().ToString();
        var first = await payer.Client.SendAsync(Transfer(payee.UserId, 1_500, key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await payee.Client.DeleteAsync("/api/users/me")).StatusCode);

        // Run again, the handler would now answer 404 RECIPIENT_NOT_FOUND; the key keeps its answer.
        var retry = await payer.Client.SendAsync(Transfer(payee.UserId, 1_500, key));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(IdempotencyFilter.ReplayedHeader).Single());
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(98_500, await app.BalanceAsync(payer.UserId));
        Assert.Equal(1, await TransfersOfAsync(payer.UserId));
    }

    [Fact]
    public async Task A_key_past_its_retention_is_free_before_the_purge_job_reaches_it()
    {
        var (payer, payee) = await PairAsync();
        var key = Guid.NewGuid().ToString();
        await payer.Client.SendAsync(Transfer(payee.UserId, 1_000, key));
        await ExpireAsync(key);

        var again = await payer.Client.SendAsync(Transfer(payee.UserId, 1_000, key));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        Assert.Equal(98_000, await app.BalanceAsync(payer.UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.IdempotencyRecords.CountAsync(r => r.Key == key)));
    }

    [Fact]
    public async Task Expired_keys_are_purged_and_may_be_used_again()
    {
        var (payer, payee) = await PairAsync();
        var key = Guid.NewGuid().ToString();
        await payer.Client.SendAsync(Transfer(payee.UserId, 1_000, key));
        await ExpireAsync(key);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<IdempotencyStore>().PurgeExpiredAsync(CancellationToken.None) >= 1);
        }

        Assert.False(await app.WithDbAsync(db => db.IdempotencyRecords.AnyAsync(r => r.Key == key)));
        var again = await payer.Client.SendAsync(Transfer(payee.UserId, 1_000, key));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains(IdempotencyFilter.ReplayedHeader));
        Assert.Equal(98_000, await app.BalanceAsync(payer.UserId));
    }

    [Theory]
    [InlineData("/api/wallet/topup")]
    [InlineData("/api/wallet/withdraw")]
    public async Task Other_money_endpoints_require_a_key_too(string path)
    {
        var s = await app.RegisterAsync();
        using var raw = app.CreateClient();
        raw.DefaultRequestHeaders.Authorization = s.Client.DefaultRequestHeaders.Authorization;
        var response = await raw.PostAsJsonAsync(path, new
        {
            amount = 60_000,
            provider = "sandbox",
            bankAccount = new { bankName = "BCA", accountNumber = "1234567890", accountName = "A" },
        });
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "IDEMPOTENCY_KEY_REQUIRED");
    }
}

public sealed class IdempotencyTestsOnPostgres(App<Postgres, Defaults> app) : IdempotencyTests<App<Postgres, Defaults>>(app);

public sealed class IdempotencyTestsOnSqlite(App<Sqlite, Defaults> app) : IdempotencyTests<App<Sqlite, Defaults>>(app);
