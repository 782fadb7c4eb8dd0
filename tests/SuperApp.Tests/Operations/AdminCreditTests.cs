using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Operations;

public abstract class AdminCreditTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task An_admin_credit_is_an_audited_adjustment_from_external_funding()
    {
        var admin = await app.AdminAsync();
        var alice = await app.RegisterAsync();

        var response = await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{alice.UserId}/credit",
            new { amount = 250_000, reason = "smoke test funding" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(250_000, body.GetProperty("balance").GetInt64());
        var id = body.GetProperty("transactionId").GetGuid();

        Assert.Equal(250_000, await app.BalanceAsync(alice.UserId));
        var (kind, note, actions) = await app.WithDbAsync(async db =>
        {
            var tx = await db.LedgerTransactions.SingleAsync(t => t.Id == id);
            var audit = await db.AuditLogs.Where(a => a.TransactionId == id && a.ActorId == admin.UserId).Select(a
                => a.Action).ToListAsync();
            return (tx.Kind, tx.Note, audit.Order().ToList());
        });
        Assert.Equal(TransactionKind.Adjustment, kind);
        Assert.Equal("smoke test funding", note);
        Assert.Equal(["ledger.adjustment", "wallet.credit"], actions);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_same_key_credits_once_and_replays_the_answer()
    {
        var admin = await app.AdminAsync();
        var alice = await app.RegisterAsync();
        async Task<HttpResponseMessage> Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/wallets/{alice.UserId}/credit")
            {
                Content = JsonContent.Create(new { amount = 10_000, reason = "once only" }),
            };
            request.Headers.Add("Idempotency-Key", "credit-once-" + alice.UserId);
            return await admin.Client.SendAsync(request);
        }

        var first = await Send();
        var second = await Send();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(10_000, await app.BalanceAsync(alice.UserId));
    }

    [Fact]
    public async Task Credits_are_bounded_refused_for_the_unknown_and_for_non_admins()
    {
        var admin = await app.AdminAsync();
        var alice = await app.RegisterAsync();
        Task<HttpResponseMessage> Credit(Session who, Guid userId, long amount) =>
            who.Client.PostAsJsonAsync($"/api/admin/wallets/{userId}/credit", new { amount, reason = "bounds" });

        await Credit(admin, alice.UserId, 9_999).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await Credit(admin, alice.UserId, 100_000_001).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await Credit(admin, Guid.NewGuid(), 10_000).ShouldBeProblemAsync(HttpStatusCode.NotFound, "USER_NOT_FOUND");
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.Client.PostAsJsonAsync($"/api/admin/wallets/{alice.UserId}/credit",
            new { amount = 10_000, reason = "self" })).StatusCode);

        // The wallet cap: 1,000,000,000 minor units.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{alice.UserId}/credit",
                new { amount = 100_000_000, reason = "to the cap" })).StatusCode);
        }

        await Credit(admin, alice.UserId, 10_000).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await admin.FreezeAsync(alice.UserId);
        var bob = await app.RegisterAsync();
        await admin.FreezeAsync(bob.UserId);
        await Credit(admin, bob.UserId, 10_000).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        Assert.Equal(0, await app.BalanceAsync(bob.UserId));
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class AdminCreditTestsOnPostgres(App<Postgres, Defaults> app) : AdminCreditTests<App<Postgres, Defaults>>(app);

public sealed class AdminCreditTestsOnSqlite(App<Sqlite, Defaults> app) : AdminCreditTests<App<Sqlite, Defaults>>(app);
