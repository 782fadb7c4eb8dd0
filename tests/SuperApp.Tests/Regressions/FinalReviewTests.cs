using System.Net;
using System.Net.Http.Json;
using System.Text;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Regressions;

/// <summary>Ownership, races and bad input across chat, top-ups, sessions and the admin credit.</summary>
public abstract class FinalReviewTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static HttpRequestMessage Credit(Guid userId, string key, object body) =>
        new(HttpMethod.Post, $"/api/admin/wallets/{userId}/credit")
        {
            Content = JsonContent.Create(body),
            Headers = { { "Idempotency-Key", key } },
        };

    [Fact]
    public async Task Admin_credit_with_one_key_sent_twice_at_once_credits_once()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { amount = 20_000, reason = "goodwill credit" };
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => admin.Client.SendAsync(Credit(s.UserId, key, body))));
        Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"{a.StatusCode}"));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(20_000, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Theory]
    [InlineData("{\"amount\":-5,\"reason\":\"negative\"}", 400, "VALIDATION_FAILED")]
    [InlineData("{\"amount\":0,\"reason\":\"zero\"}", 400, "VALIDATION_FAILED")]
    [InlineData("{\"amount\":9223372036854775807,\"reason\":\"max long\"}", 422, "LIMIT_EXCEEDED")]
    [InlineData("{\"amount\":99999999999999999999999,\"reason\":\"overflow\"}", 400, "MALFORMED_JSON")]
    [InlineData("{\"amount\":1.5,\"reason\":\"fraction\"}", 400, "MALFORMED_JSON")]
    [InlineData("{\"amount\":20000", 400, "MALFORMED_JSON")]
    [InlineData("not json", 400, "MALFORMED_JSON")]
    [InlineData("{\"amount\":20000}", 400, "VALIDATION_FAILED")]
    public async Task Admin_credit_refuses_bad_input_with_a_4xx_and_moves_nothing(string json, int status, string code)
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/wallets/{s.UserId}/credit")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        };
        var response = await admin.Client.SendAsync(request);
        Assert.InRange((int)response.StatusCode, 400, 499);
        await response.ShouldBeProblemAsync((HttpStatusCode)status, code);
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
    }

    [Fact]
    public async Task Admin_credit_to_an_unknown_user_is_404_and_a_plain_user_cannot_credit()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var unknown = await admin.Client.SendAsync(Credit(Guid.NewGuid(), Guid.NewGuid().ToString(),
            new { amount = 20_000, reason = "nobody" }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var self = await s.Client.SendAsync(Credit(s.UserId, Guid.NewGuid().ToString(), new { amount = 20_000, reason = "myself" }));
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
    }

    private static async Task<Guid> DirectConversationAsync(Session a, Session b)
    {
        var created = await a.Client.PostAsJsonAsync("/api/chat/conversations", new { memberIds = new[] { b.UserId } });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{created.StatusCode}");
        return (await created.JsonAsync()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_non_member_cannot_read_post_or_mark_read_in_a_conversation()
    {
        var (a, b, mallory) = (await app.RegisterAsync(), await app.RegisterAsync(), await app.RegisterAsync());
        var id = await DirectConversationAsync(a, b);
        var sent = await a.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/messages", new { clientMessageId = "m1", text = "hi" });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var messageId = (await sent.JsonAsync()).GetProperty("id").GetGuid();

        var read = await mallory.Client.GetAsync($"/api/chat/conversations/{id}/messages");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        var post = await mallory.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/messages",
            new { clientMessageId = "x", text = "intrude" });
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var mark = await mallory.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/read", new { messageId });
        Assert.Equal(HttpStatusCode.NotFound, mark.StatusCode);
        var list = await (await mallory.Client.GetAsync("/api/chat/conversations")).JsonAsync();
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());

        // A member marking read a message of another conversation is refused too.
        var other = await DirectConversationAsync(mallory, b);
        var cross = await mallory.Client.PostAsJsonAsync($"/api/chat/conversations/{other}/read", new { messageId });
        Assert.Equal(HttpStatusCode.NotFound, cross.StatusCode);
    }

    [Fact]
    public async Task Text_over_4000_characters_and_malformed_json_are_400()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await DirectConversationAsync(a, b);
        var tooLong = await a.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/messages",
            new { clientMessageId = "long", text = new string('x', 4001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var exact = await a.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/messages",
            new { clientMessageId = "exact", text = new string('y', 4000) });
        Assert.Equal(HttpStatusCode.Created, exact.StatusCode);
        var html = "<script>alert(1)</script>&amp;";
        var verbatim = await a.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/messages",
            new { clientMessageId = "html", text = html });
        Assert.Equal(html, (await verbatim.JsonAsync()).GetProperty("text").GetString());
        var malformed = await a.Client.PostAsync($"/api/chat/conversations/{id}/messages",
            new StringContent("{\"clientMessageId\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task The_same_clientMessageId_sent_at_once_makes_one_message()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await DirectConversationAsync(a, b);
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            a.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/messages", new { clientMessageId = "dup", text = "once" })));
        Assert.All(answers, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.StatusCode}"));
        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.Created);
        var ids = new HashSet<Guid>();
        foreach (var r in answers)
        {
            ids.Add((await r.JsonAsync()).GetProperty("id").GetGuid());
        }

        Assert.Single(ids);
        var list = await (await b.Client.GetAsync($"/api/chat/conversations/{id}/messages")).JsonAsync();
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_blocked_user_cannot_message_the_blocker()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await DirectConversationAsync(a, b);
        Assert.True((await b.Client.PostAsync($"/api/users/{a.UserId}/block", null)).IsSuccessStatusCode);
        var sent = await a.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/messages", new { clientMessageId = "b1", text = "hey" });
        Assert.Equal(HttpStatusCode.Forbidden, sent.StatusCode);
        await sent.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
    }

    [Fact]
    public async Task Another_users_topup_withdrawal_transaction_and_session_are_404()
    {
        var (owner, other) = (await app.RegisterAsync(), await app.RegisterAsync());
        var (topupId, _) = await app.CreateTopupAsync(owner, 150_000);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/api/wallet/topups/{topupId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/wallet/topups/{topupId}")).StatusCode);

        await app.FundAsync(owner, 200_000);
        var tx = await app.WithDbAsync(db => Task.FromResult(db.LedgerEntries.Where(e => db.Accounts.Any(a => a.Id == e.AccountId
            && a.OwnerId == owner.UserId))
            .Select(e => e.TransactionId).First()));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/wallet/transactions/{tx}")).StatusCode);

        var withdrawal = await owner.Client.PostAsJsonAsync("/api/wallet/withdraw",
            new { amount = 60_000, bankAccount = new { bankName = "BCA", accountNumber = "1234567890", accountName = "Owner" } });
        Assert.Equal(HttpStatusCode.Accepted, withdrawal.StatusCode);
        {
            var wid = (await withdrawal.JsonAsync()).GetProperty("withdrawalId").GetGuid();
            Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/wallet/withdrawals/{wid}")).StatusCode);
        }

        var sessions = await (await owner.Client.GetAsync("/api/users/me/sessions")).JsonAsync();
        var sessionId = sessions.GetProperty("items")[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.DeleteAsync($"/api/users/me/sessions/{sessionId}")).StatusCode);
        var refresh = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = owner.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task A_refund_racing_a_chargeback_takes_the_money_out_of_suspense_once()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 150_000);
        await admin.FreezeAsync(s.UserId);
        Assert.Equal("held", await app.WebhookStatusAsync(reference, "paid", 150_000));

        var refund = admin.ResolveTopupAsync(id, "refund", "fraud confirmed");
        var chargeback = app.SendWebhookAsync(reference, "chargeback", 150_000);
        await Task.WhenAll(refund, chargeback);
        Assert.True((int)(await refund).StatusCode < 500 || (int)(await refund).StatusCode == 502, $"{(await refund).StatusCode}");
        Assert.Equal(HttpStatusCode.OK, (await chargeback).StatusCode);

        var status = await app.WithDbAsync(db => Task.FromResult(db.Topups.Single(t => t.Id == id).Status));
        Assert.Contains(status, new[] { TopupStatus.Refunded, TopupStatus.ChargedBack });
        var exits = await app.WithDbAsync(db => Task.FromResult(db.LedgerTransactions.Count(t =>
            t.Reference == $"topup:{id}:refund" || t.Reference == $"topup:{id}:chargeback")));
        Assert.Equal(1, exits);
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class FinalReviewTestsOnPostgres(App<Postgres, Defaults> app) : FinalReviewTests<App<Postgres, Defaults>>(app);

public sealed class FinalReviewTestsOnSqlite(App<Sqlite, Defaults> app) : FinalReviewTests<App<Sqlite, Defaults>>(app);
