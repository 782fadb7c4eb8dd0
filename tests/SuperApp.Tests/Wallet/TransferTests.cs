using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

public abstract class TransferTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_transfer_moves_money_and_both_statements_show_it()
    {
        var alice = await app.RegisterAsync();
        var bob = await app.RegisterAsync();
        await app.FundAsync(alice, 100_000);

        var response = await alice.Client.PostAsJsonAsync("/api/wallet/transfer",
            new { toUserId = bob.UserId, amount = 12_345, note = "lunch" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(12_345, body.GetProperty("amount").GetInt64());
        Assert.Equal(87_655, body.GetProperty("balance").GetInt64());
        Assert.Equal("IDR", body.GetProperty("currency").GetString());
        var id = body.GetProperty("transactionId").GetGuid();

        var mine = await (await alice.Client.GetAsync("/api/wallet/transactions?kind=transfer")).JsonAsync();
        var line = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(-12_345, line.GetProperty("amount").GetInt64());
        Assert.Equal(87_655, line.GetProperty("balanceAfter").GetInt64());
        Assert.Equal(bob.Username, line.GetProperty("counterparty").GetProperty("username").GetString());
        Assert.Equal("lunch", line.GetProperty("note").GetString());

        var theirs = await (await bob.Client.GetAsync($"/api/wallet/transactions/{id}")).JsonAsync();
        Assert.Equal(12_345, theirs.GetProperty("amount").GetInt64());
        Assert.Equal(alice.UserId, theirs.GetProperty("counterparty").GetProperty("id").GetGuid());

        var stranger = await app.RegisterAsync();
        await stranger.Client.GetAsync($"/api/wallet/transactions/{id}")
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "TRANSACTION_NOT_FOUND");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Transfer_errors_change_nothing()
    {
        var alice = await app.RegisterAsync();
        var bob = await app.RegisterAsync();
        await app.FundAsync(alice, 50_000);

        Task<HttpResponseMessage> Send(object body) => alice.Client.PostAsJsonAsync("/api/wallet/transfer", body);

        await Send(new { toUserId = bob.UserId, amount = 0 }).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(new { toUserId = bob.UserId, amount = -10 }).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(new { toUserId = bob.UserId, amount = 10.5 }).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "MALFORMED_JSON");
        await Send(new { amount = 10 }).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await Send(new { toUserId = alice.UserId, amount = 10 }).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "SELF_TRANSFER");
        await Send(new { toUserId = Guid.NewGuid(), amount = 10 }).ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await Send(new { toUserId = bob.UserId, amount = 50_001 })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");

        Assert.Equal(50_000, await app.BalanceAsync(alice.UserId));
        Assert.Equal(0, await app.BalanceAsync(bob.UserId));
    }

    [Fact]
    public async Task A_transfer_that_would_overfill_the_recipient_is_refused()
    {
        var rich = await app.RegisterAsync();
        var full = await app.RegisterAsync();
        await app.PostAsync(SuperApp.Features.Ledger.PostingRequest.Move(SuperApp.Features.Ledger.TransactionKind.Adjustment,
            SuperApp.Features.Ledger.AccountRef.System(SuperApp.Features.Ledger.AccountKind.ExternalFunding),
            SuperApp.Features.Ledger.AccountRef.Wallet(full.UserId), 1_000_000_000));
        await app.FundAsync(rich, 10_000);

        await rich.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = full.UserId, amount = 1 })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        Assert.Equal(10_000, await app.BalanceAsync(rich.UserId));
    }

    [Fact]
    public async Task Frozen_wallets_can_neither_send_nor_receive_until_unfrozen()
    {
        var admin = await app.AdminAsync();
        var alice = await app.RegisterAsync();
        var bob = await app.RegisterAsync();
        await app.FundAsync(alice, 50_000);
        await app.FundAsync(bob, 50_000);

        var freeze = await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{bob.UserId}/freeze",
            new { reason = "chargeback investigation" });
        Assert.Equal(HttpStatusCode.OK, freeze.StatusCode);
        Assert.Equal("frozen", (await (await bob.Client.GetAsync("/api/wallet/balance")).JsonAsync()).GetProperty("status").GetString());

        await alice.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = bob.UserId, amount = 100 })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        await bob.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = alice.UserId, amount = 100 })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");

        var audit = await (await admin.Client.GetAsync($"/api/admin/audit?entityType=wallet&entityId={bob.UserId}")).JsonAsync();
        var row = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal("wallet.freeze", row.GetProperty("action").GetString());
        Assert.Equal(admin.UserId, row.GetProperty("actorId").GetGuid());
        Assert.Contains("chargeback", row.GetProperty("after").GetString(), StringComparison.Ordinal);

        await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{bob.UserId}/unfreeze", new { reason = "cleared" });
        Assert.Equal(HttpStatusCode.Created,
            (await alice.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = bob.UserId, amount = 100 })).StatusCode);
        Assert.Equal(49_900, await app.BalanceAsync(alice.UserId));
    }

    [Fact]
    public async Task Every_posting_is_audited_with_its_request_id_and_admins_can_verify_the_ledger()
    {
        var admin = await app.AdminAsync();
        var alice = await app.RegisterAsync();
        var bob = await app.RegisterAsync();
        await app.FundAsync(alice, 20_000);

        var request = new HttpRequestMessage(HttpMethod.Post,
            "/api/wallet/transfer") { Content = JsonContent.Create(new { toUserId = bob.UserId, amount = 5_000 }) };
        request.Headers.Add("X-Request-Id", "audit-check-" + Guid.NewGuid().ToString("N")[..8]);
        var response = await alice.Client.SendAsync(request);
        var requestId = request.Headers.GetValues("X-Request-Id").Single();
        var txId = (await response.JsonAsync()).GetProperty("transactionId").GetGuid();

        var audit = await (await admin.Client.GetAsync($"/api/admin/audit?requestId={requestId}")).JsonAsync();
        var row = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal("ledger.transfer", row.GetProperty("action").GetString());
        Assert.Equal(txId, row.GetProperty("transactionId").GetGuid());
        Assert.Equal(alice.UserId, row.GetProperty("actorId").GetGuid());

        var verify = await (await admin.Client.GetAsync("/api/admin/ledger/verify")).JsonAsync();
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.Client.GetAsync("/api/admin/ledger/verify")).StatusCode);
    }

    [Fact]
    public async Task Statements_page_with_a_cursor()
    {
        var alice = await app.RegisterAsync();
        var bob = await app.RegisterAsync();
        await app.FundAsync(alice, 50_000);
        for (var i = 1; i <= 3; i++)
        {
            await alice.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = bob.UserId, amount = i });
        }

        var first = await (await alice.Client.GetAsync("/api/wallet/transactions?limit=2")).JsonAsync();
        Assert.Equal([-3L, -2L], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("amount").GetInt64()));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await alice.Client.GetAsync($"/api/wallet/transactions?limit=2&cursor={cursor}")).JsonAsync();
        Assert.Equal([-1L, 50_000L], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("amount").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        await alice.Client.GetAsync("/api/wallet/transactions?cursor=%%%")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

}

public sealed class TransferTestsOnPostgres(App<Postgres, Defaults> app) : TransferTests<App<Postgres, Defaults>>(app);

public sealed class TransferTestsOnSqlite(App<Sqlite, Defaults> app) : TransferTests<App<Sqlite, Defaults>>(app);
