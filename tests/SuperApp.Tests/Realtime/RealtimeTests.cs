using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Features.Realtime;
using SuperApp.Platform.Audit;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Realtime;

public sealed class RealtimeSettings : ITestSettings
{
    public const string TicketSecret = "realtime-ticket-secret-0123456789-abcdefghij";
    public const string PreviousTicketSecret = "previous-ticket-secret-0123456789-abcdefghij";
    public const int MessagesPerMinute = 15;

    public static void Configure(AppFixture app)
    {
        app.Settings["SOCKET_IO_SECRET"] = TicketSecret;
        app.Settings["SOCKET_IO_SECRET_PREVIOUS"] = PreviousTicketSecret;
        app.Settings["Realtime:PresenceGrace"] = "00:00:01";
        app.Settings["Chat:MessagesPerMinute"] = MessagesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The hub through the .NET SignalR client: authentication, every hub method, the events, replay and the outbox.</summary>
public sealed class RealtimeHubTests(App<Postgres, RealtimeSettings> app) : IClassFixture<App<Postgres, RealtimeSettings>>
{
    [Fact]
    public async Task Negotiate_without_a_valid_credential_is_401_and_the_query_token_counts_only_on_the_hub()
    {
        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsync("/hubs/realtime/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsync("/hubs/realtime/negotiate?negotiateVersion=1&access_token=not-a-token", null)).StatusCode);

        var a = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK,
            (await anonymous.PostAsync($"/hubs/realtime/negotiate?negotiateVersion=1&access_token={a.AccessToken}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.GetAsync($"/api/wallet/balance?access_token={a.AccessToken}")).StatusCode);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => RealtimeClient.Build(app, null).StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_ticket_connects_and_a_forged_expired_or_rotated_out_one_is_refused()
    {
        var a = await app.RegisterAsync();
        var issued = await (await a.Client.PostAsync("/api/realtime/ticket", null)).JsonAsync();
        var ticket = issued.GetProperty("ticket").GetString()!;
        Assert.True(issued.GetProperty("expiresIn").GetInt32() > 0);
        await using (var client = await RealtimeClient.ConnectAsync(app, ticket))
        {
            var resumed = await client.Connection.InvokeAsync<ResumeResult>("Resume", 0L);
            Assert.False(resumed.Resync);
        }

        var forged = ticket[..^3] + (ticket[^3] == 'A' ? "BBB" : "AAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HttpRequestException>(
            () => RealtimeClient.Build(app, forged).StartAsync())).StatusCode);

        // Signed with the previous secret: still accepted while the secret rotates; with any other: refused.
        var previous = Tickets(RealtimeSettings.PreviousTicketSecret).Issue(a.UserId, null).Ticket;
        await using (var client = await RealtimeClient.ConnectAsync(app, previous))
        {
            Assert.Equal(HubConnectionState.Connected, client.Connection.State);
        }

        var stranger = Tickets("some-other-secret-0123456789-abcdefghijklmn").Issue(a.UserId, null).Ticket;
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HttpRequestException>(
            () => RealtimeClient.Build(app, stranger).StartAsync())).StatusCode);

        var expired = new RealtimeTickets(Options.Create(new RealtimeOptions { TicketSecret = RealtimeSettings.TicketSecret }),
            TestClock.Manual(app.Clock.GetUtcNow() - TimeSpan.FromMinutes(5))).Issue(a.UserId, null).Ticket;
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HttpRequestException>(
            () => RealtimeClient.Build(app, expired).StartAsync())).StatusCode);
    }

    [Fact]
    public async Task A_suspended_user_is_disconnected_and_refused_at_connect()
    {
        var admin = await app.AdminAsync();
        var a = await app.RegisterAsync();
        await using var client = await RealtimeClient.ConnectAsync(app, a);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        var patch = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{a.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        await closed.Task.WaitAsync(RealtimeClient.Wait);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => RealtimeClient.Build(app, a.AccessToken).StartAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Messages_reach_every_member_through_the_hub_and_rest_and_outsiders_are_refused()
    {
        var (a, b, outsider) = (await app.RegisterAsync(), await app.RegisterAsync(), await app.RegisterAsync());
        var id = await a.ConversationAsync(b);
        await using var ca = await RealtimeClient.ConnectAsync(app, a);
        await using var cb = await RealtimeClient.ConnectAsync(app, b);
        await using var co = await RealtimeClient.ConnectAsync(app, outsider);

        var sent = await ca.Connection.InvokeAsync<System.Text.Json.JsonElement>("SendMessage", id, "c-1", "hi <b>there</b>");
        var messageId = sent.GetProperty("id").GetGuid();
        Assert.Equal("hi <b>there</b>", sent.GetProperty("text").GetString());
        foreach (var c in new[] { ca, cb })
        {
            var e = await c.WaitForAsync("message.created", d => d.GetProperty("id").GetGuid() == messageId);
            Assert.True(e.Seq() > 0);
            Assert.Equal(id, e.GetProperty("data").GetProperty("conversationId").GetGuid());
        }

        // The same clientMessageId again answers the first message and sends nothing new.
        var again = await ca.Connection.InvokeAsync<System.Text.Json.JsonElement>("SendMessage", id, "c-1", "hi <b>there</b>");
        Assert.Equal(messageId, again.GetProperty("id").GetGuid());

        var viaRest = await b.SendAsync(id, "from rest");
        await ca.WaitForAsync("message.created", d => d.GetProperty("id").GetGuid() == viaRest.GetProperty("id").GetGuid());
        Assert.Single(ca.OfType("message.created"), e => e.GetProperty("data").GetProperty("id").GetGuid() == messageId);

        foreach (var (method, args) in new (string, object[])[]
                 {
                     ("SendMessage", [id, "x-1", "let me in"]), ("Typing", [id]), ("MarkRead", [id, messageId]),
                 })
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => co.Connection.InvokeCoreAsync(method, args));
            Assert.StartsWith("CONVERSATION_NOT_FOUND", refused.Message, StringComparison.Ordinal);
        }

        Assert.Empty(co.OfType("message.created"));
    }

    [Fact]
    public async Task Typing_goes_to_the_others_once_within_the_interval_and_read_markers_are_announced()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await a.ConversationAsync(b);
        await using var ca = await RealtimeClient.ConnectAsync(app, a);
        await using var cb = await RealtimeClient.ConnectAsync(app, b);

        await ca.Connection.InvokeAsync("Typing", id);
        await ca.Connection.InvokeAsync("Typing", id); // within 2 s: dropped
        var msg = await ca.Connection.InvokeAsync<System.Text.Json.JsonElement>("SendMessage", id, "t-1", "done typing");
        await cb.WaitForAsync("message.created");
        var typing = Assert.Single(cb.OfType("typing"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, typing.GetProperty("seq").ValueKind);
        Assert.Equal(a.UserId, typing.GetProperty("data").GetProperty("userId").GetGuid());
        Assert.Equal(id, typing.GetProperty("data").GetProperty("conversationId").GetGuid());
        Assert.Empty(ca.OfType("typing"));

        await cb.Connection.InvokeAsync("MarkRead", id, msg.GetProperty("id").GetGuid());
        var read = await ca.WaitForAsync("message.read");
        Assert.Equal((b.UserId, msg.GetProperty("id").GetGuid()),
            (read.GetProperty("data").GetProperty("userId").GetGuid(), read.GetProperty("data").GetProperty("messageId").GetGuid()));
        Assert.True(read.Seq() > 0);
        await cb.Connection.InvokeAsync("Resume", long.MaxValue - 1); // a round trip: anything for b would have arrived by now
        Assert.Empty(cb.OfType("message.read"));
    }

    [Fact]
    public async Task Money_events_reach_the_owners_and_leaderboard_watchers()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var creator = await app.CreatorAsync();
        await using var ca = await RealtimeClient.ConnectAsync(app, a);
        await using var cb = await RealtimeClient.ConnectAsync(app, b);
        await using var cc = await RealtimeClient.ConnectAsync(app, creator);

        await app.FundAsync(a, 500_000);
        var funded = await ca.WaitForAsync("wallet.balance_changed", d => d.GetProperty("kind").GetString() == "topup");
        Assert.Equal(500_000, funded.GetProperty("data").GetProperty("balance").GetInt64());

        var transfer = await a.TransferAsync(b, 120_000);
        var txId = transfer.GetProperty("transactionId").GetGuid();
        var debit = await ca.WaitForAsync("wallet.balance_changed", d => d.GetProperty("transactionId").GetGuid() == txId);
        Assert.Equal((380_000L, -120_000L, "transfer"), (debit.GetProperty("data").GetProperty("balance").GetInt64(),
            debit.GetProperty("data").GetProperty("amount").GetInt64(), debit.GetProperty("data").GetProperty("kind").GetString()));
        var credit = await cb.WaitForAsync("wallet.balance_changed", d => d.GetProperty("transactionId").GetGuid() == txId);
        Assert.Equal(120_000, credit.GetProperty("data").GetProperty("balance").GetInt64());

        await ca.Connection.InvokeAsync("WatchLeaderboard", "day", "receivers");
        await ca.WaitForAsync("leaderboard.changed");
        ca.Clear();
        Assert.Equal(HttpStatusCode.Created, (await a.GiftAsync(creator.UserId, "rose", 2)).StatusCode);
        var gift = await cc.WaitForAsync("gift.received");
        var data = gift.GetProperty("data");
        Assert.Equal((a.UserId, a.Username, "rose", 2, 20_000L), (data.GetProperty("from").GetProperty("id").GetGuid(),
            data.GetProperty("from").GetProperty("username").GetString(), data.GetProperty("giftType").GetString(),
            data.GetProperty("quantity").GetInt32(), data.GetProperty("amount").GetInt64()));
        var board = await ca.WaitForAsync("leaderboard.changed", d =>
            d.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("user").GetProperty("id").GetGuid() == creator.UserId));
        Assert.Equal(("day", "receivers"), (board.GetProperty("data").GetProperty("period").GetString(),
            board.GetProperty("data").GetProperty("board").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, board.GetProperty("seq").ValueKind);
        await ca.WaitForAsync("wallet.balance_changed", d => d.GetProperty("kind").GetString() == "gift");

        await ca.Connection.InvokeAsync("UnwatchLeaderboard", "day", "receivers");
        var bad = await Assert.ThrowsAsync<HubException>(() => ca.Connection.InvokeAsync("WatchLeaderboard", "year", "receivers"));
        Assert.StartsWith("VALIDATION_FAILED", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_blocked_user_cannot_message_or_gift_the_blocker()
    {
        var a = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        var id = await a.ConversationAsync(creator);
        await app.FundAsync(a, 100_000);
        Assert.Equal(HttpStatusCode.NoContent, (await creator.Client.PostAsync($"/api/users/{a.UserId}/block", null)).StatusCode);

        await using var ca = await RealtimeClient.ConnectAsync(app, a);
        var refused = await Assert.ThrowsAsync<HubException>(() => ca.Connection.InvokeAsync("SendMessage", id, "b-1", "hello?"));
        Assert.StartsWith("BLOCKED", refused.Message, StringComparison.Ordinal);
        await a.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
    }

    [Fact]
    public async Task Messages_are_rate_limited_per_user_on_rest_and_hub_alike()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await a.ConversationAsync(b);
        for (var i = 0; i < RealtimeSettings.MessagesPerMinute; i++)
        {
            await a.SendAsync(id, $"m{i}");
        }

        var limited = await a.PostMessageAsync(id, "one too many");
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        await using var ca = await RealtimeClient.ConnectAsync(app, a);
        var refused = await Assert.ThrowsAsync<HubException>(() => ca.Connection.InvokeAsync("SendMessage", id, "r-1", "and via hub"));
        Assert.StartsWith("RATE_LIMITED", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_replays_exactly_what_was_missed_in_order_and_the_rest_twin_agrees()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await a.ConversationAsync(b);
        await app.FundAsync(a, 100_000);
        await b.SendAsync(id, "before");
        long lastSeq;
        await using (var cb = await RealtimeClient.ConnectAsync(app, b))
        {
            lastSeq = (await cb.Connection.InvokeAsync<ResumeResult>("Resume", 0L)).LastSeq;
            Assert.Equal(1, lastSeq); // "before": b's own message
        }

        // b is away: three messages and a transfer happen.
        var texts = new[] { "one", "two", "three" };
        foreach (var t in texts)
        {
            await a.SendAsync(id, t);
        }

        var tx = (await a.TransferAsync(b, 10_000)).GetProperty("transactionId").GetGuid();

        await using var back = await RealtimeClient.ConnectAsync(app, b);
        var result = await back.Connection.InvokeAsync<ResumeResult>("Resume", lastSeq);
        await back.WaitForCountAsync("wallet.balance_changed", 1);
        var replayed = back.Events.Where(e => e.GetProperty("seq").ValueKind == System.Text.Json.JsonValueKind.Number).ToList();
        Assert.Equal(["message.created", "message.created", "message.created", "wallet.balance_changed"], replayed.Select(e => e.Type()));
        Assert.Equal(texts, replayed.Take(3).Select(e => e.GetProperty("data").GetProperty("text").GetString()));
        Assert.Equal(tx, replayed[3].GetProperty("data").GetProperty("transactionId").GetGuid());
        Assert.Equal([lastSeq + 1, lastSeq + 2, lastSeq + 3, lastSeq + 4], replayed.Select(e => e.Seq()));
        Assert.Equal((lastSeq + 4, false), (result.LastSeq, result.Resync));

        var rest = await (await b.Client.GetAsync($"/api/realtime/events?after={lastSeq}")).JsonAsync();
        Assert.Equal(replayed.Select(e => (e.Seq(), e.Type())),
            rest.GetProperty("items").EnumerateArray().Select(e => (e.Seq(), e.Type())));
        Assert.Equal((lastSeq + 4, false), (rest.GetProperty("lastSeq").GetInt64(), rest.GetProperty("resync").GetBoolean()));
        var paged = await (await b.Client.GetAsync($"/api/realtime/events?after={lastSeq}&limit=2")).JsonAsync();
        Assert.Equal([lastSeq + 1, lastSeq + 2], paged.GetProperty("items").EnumerateArray().Select(e => e.Seq()));
    }

    [Fact]
    public async Task A_rolled_back_posting_leaves_no_event_and_a_committed_one_waits_for_resume()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(a, 100_000);
        var before = await app.WithDbAsync(db => db.Set<RealtimeEvent>().CountAsync(e => e.UserId == a.UserId || e.UserId == b.UserId));

        await Assert.ThrowsAsync<InvalidOperationException>(() => PostAsync(a, b, fail: true));
        Assert.Equal(before, await app.WithDbAsync(db => db.Set<RealtimeEvent>().CountAsync(e => e.UserId == a.UserId
            || e.UserId == b.UserId)));
        Assert.Equal(0, (await (await b.Client.GetAsync("/api/realtime/events?after=0")).JsonAsync()).GetProperty("lastSeq").GetInt64());

        // Nobody connected when it commits: the push goes nowhere, the event is kept and replayed.
        var tx = await PostAsync(a, b, fail: false);
        await using var cb = await RealtimeClient.ConnectAsync(app, b);
        var result = await cb.Connection.InvokeAsync<ResumeResult>("Resume", 0L);
        var e = Assert.Single(await cb.WaitForCountAsync("wallet.balance_changed", 1));
        Assert.Equal((1L, tx, 1L), (e.Seq(), e.GetProperty("data").GetProperty("transactionId").GetGuid(), result.LastSeq));
    }

    [Fact]
    public async Task A_commit_the_database_refuses_leaves_no_event_and_no_money_and_says_why()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(a, 100_000);
        var wallet = await app.WithDbAsync(db => db.Accounts.Where(x => x.OwnerId == a.UserId && x.Kind == AccountKind.Wallet)
            .Select(x => x.Id).SingleAsync());
        var events = await app.WithDbAsync(db => db.Set<RealtimeEvent>().CountAsync(e => e.UserId == a.UserId || e.UserId == b.UserId));

        // The events go in the COMMIT's own round trip; an entry that unbalances the transaction fails the
        // deferred check at that COMMIT, after the events were sent.
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => PostAsync(a, b, fail: false, (db, tx) =>
            db.LedgerEntries.Add(new LedgerEntry
            {
                TransactionId = tx, AccountId = wallet, Amount = 1, CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
            })));

        Assert.Equal(Npgsql.PostgresErrorCodes.CheckViolation, refused.SqlState);
        Assert.Equal(events, await app.WithDbAsync(db => db.Set<RealtimeEvent>().CountAsync(e => e.UserId == a.UserId
            || e.UserId == b.UserId)));
        Assert.Equal(100_000, await app.WithDbAsync(db => db.Accounts.Where(x => x.Id == wallet).Select(x => x.Balance).SingleAsync()));
        await PostAsync(a, b, fail: false);
        Assert.Equal(events + 2, await app.WithDbAsync(db => db.Set<RealtimeEvent>().CountAsync(e => e.UserId == a.UserId
            || e.UserId == b.UserId)));
        await app.AssertLedgerConsistentAsync();
    }

    private async Task<Guid> PostAsync(Session from, Session to, bool fail, Action<AppDbContext, Guid>? alsoWrite = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<LedgerPoster>();
        return await db.RunAsync(async ct =>
        {
            var posted = await ledger.PostAsync(
                PostingRequest.Move(TransactionKind.Transfer, AccountRef.Wallet(from.UserId), AccountRef.Wallet(to.UserId), 1_000),
                AuditContext.System, ct);
            alsoWrite?.Invoke(db, posted.Transaction.Id);
            await db.SaveChangesAsync(ct);
            return fail ? throw new InvalidOperationException("fails after the posting, before the commit") : posted.Transaction.Id;
        }, CancellationToken.None);
    }

    private RealtimeTickets Tickets(string secret) =>
        new(Options.Create(new RealtimeOptions { TicketSecret = secret }), app.Clock);
}
