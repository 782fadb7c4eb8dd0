using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Realtime;
using SuperApp.Tests.Refunds;

namespace SuperApp.Tests.Regressions;

/// <summary>
/// A gift that asks who receives it in the posting's own batch, attacked over HTTP: what a refused gift leaves behind,
/// which refusal wins when several hold, unknown and other users' ids, replays of refusals and successes, blocks racing
/// gifts, and the sender named in the creator's realtime event.
/// </summary>
public abstract class GiftBatchReviewTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    protected TApp App => app;

    private static Task<HttpResponseMessage> Block(Session blocker, Guid blocked) =>
        blocker.Client.PostAsync($"/api/users/{blocked}/block", null);

    private static Task<HttpResponseMessage> Unblock(Session blocker, Guid blocked) =>
        blocker.Client.DeleteAsync($"/api/users/{blocked}/block");

    private static HttpRequestMessage Gift(Guid to, string type, string key, int quantity = 1) =>
        BatchChecks.Post("/api/gift/send", new { recipientId = to, giftType = type, quantity }, key);

    /// <summary>Nothing of a refused gift stays: money, today's spend, gift rows, board rows, ledger rows, fraud audits.</summary>
    private async Task AssertNothingLeftAsync(Session sender, long balance, params Guid[] recipients)
    {
        Assert.Equal(balance, await app.BalanceAsync(sender.UserId));
        Assert.Equal(0, await app.SpentAsync(sender.UserId));
        var (gifts, boards, txs, audits) = await app.WithDbAsync(async db => (
            await db.Gifts.CountAsync(g => g.SenderId == sender.UserId || recipients.Contains(g.RecipientId)),
            await db.GiftLeaderboard.CountAsync(e => e.UserId == sender.UserId || recipients.Contains(e.UserId)),
            await db.LedgerTransactions.CountAsync(t => t.ActorId == sender.UserId && t.Kind == TransactionKind.Gift),
            await db.AuditLogs.CountAsync(a => a.Action.StartsWith("fraud.") && a.EntityId == sender.UserId.ToString())));
        Assert.Equal((0, 0, 0, 0), (gifts, boards, txs, audits));
        foreach (var r in recipients)
        {
            Assert.Equal(0, await app.BalanceAsync(r, AccountKind.EarningsPending));
        }

        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task GiftBatch_unknown_other_users_and_admin_ids_are_404_or_422_never_5xx_and_leave_nothing()
    {
        var (admin, fan, plain) = (await app.AdminAsync(), await app.RegisterAsync(), await app.RegisterAsync());
        var sender = (await app.CreateFundedUsersAsync(1, 100_000))[0];

        await sender.GiftAsync(Guid.NewGuid(), "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await sender.GiftAsync(Guid.Empty, "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await sender.GiftAsync(plain.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "RECIPIENT_NOT_CREATOR");
        await sender.GiftAsync(fan.UserId, "crown", 5)
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "RECIPIENT_NOT_CREATOR");
        await sender.GiftAsync(admin.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "RECIPIENT_NOT_CREATOR");

        await AssertNothingLeftAsync(sender, 100_000, plain.UserId, fan.UserId, admin.UserId);
    }

    [Fact]
    public async Task GiftBatch_suspended_and_deleted_creators_are_404_and_their_earnings_and_boards_stay_untouched()
    {
        var admin = await app.AdminAsync();
        var (suspended, deleted) = (await app.CreatorAsync(), await app.CreatorAsync());
        var sender = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var patch = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{suspended.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await deleted.Client.DeleteAsync("/api/users/me")).StatusCode);

        await sender.GiftAsync(suspended.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await sender.GiftAsync(deleted.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await AssertNothingLeftAsync(sender, 100_000, suspended.UserId, deleted.UserId);
    }

    /// <summary>
    /// Who receives is asked first: an unknown, non-creator or blocking recipient is the answer even when the sender is
    /// also frozen, poor, or over the daily limit; only for a good recipient do those refusals show, guard before posting.
    /// </summary>
    [Fact]
    public async Task GiftBatch_recipient_refusals_come_before_frozen_poor_and_over_the_limit_senders()
    {
        var admin = await app.AdminAsync();
        var (creator, blocker, plain) = (await app.CreatorAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        var poor = (await app.CreateFundedUsersAsync(1, 5_000))[0];
        var rich = (await app.CreateFundedUsersAsync(1, 20_000_000))[0];
        var frozen = (await app.CreateFundedUsersAsync(1, 5_000))[0];
        foreach (var s in new[] { poor, rich, frozen })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Block(blocker, s.UserId)).StatusCode);
        }

        await admin.FreezeAsync(frozen.UserId);

        // Poor: 10,000 for a rose with 5,000 in the wallet. Rich: 11 crowns are past the free tier's 10,000,000 a day.
        foreach (var (s, type, qty) in new[] { (poor, "rose", 1), (rich, "crown", 11), (frozen, "rose", 1) })
        {
            await s.GiftAsync(Guid.NewGuid(), type, qty).ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
            await s.GiftAsync(plain.UserId, type, qty).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "RECIPIENT_NOT_CREATOR");
            await s.GiftAsync(blocker.UserId, type, qty).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        }

        // No fraud refusal was audited for any of those: the recipient's answer came before the guard's.
        await AssertNothingLeftAsync(poor, 5_000, creator.UserId, blocker.UserId, plain.UserId);
        await AssertNothingLeftAsync(rich, 20_000_000);
        await AssertNothingLeftAsync(frozen, 5_000);

        await poor.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");
        await rich.GiftAsync(creator.UserId, "crown", 11)
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        await frozen.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        Assert.Equal((0L, 0L, 0L), (await app.SpentAsync(poor.UserId), await app.SpentAsync(rich.UserId),
            await app.SpentAsync(frozen.UserId)));
        Assert.Equal(0, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(0, await app.WithDbAsync(db => db.Gifts.CountAsync(g => g.RecipientId == creator.UserId)));
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>A refusal is the key's stored answer even once it no longer holds; a success replays its own body, paid once.</summary>
    [Fact]
    public async Task GiftBatch_a_refused_key_replays_its_refusal_after_the_unblock_and_a_new_key_then_gifts_once()
    {
        var creator = await app.CreatorAsync();
        var sender = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        Assert.Equal(HttpStatusCode.NoContent, (await Block(creator, sender.UserId)).StatusCode);
        var (refusedKey, okKey) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        var refused = await sender.Client.SendAsync(Gift(creator.UserId, "coffee", refusedKey));
        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        Assert.Equal(HttpStatusCode.NoContent, (await Unblock(creator, sender.UserId)).StatusCode);
        var replayed = await sender.Client.SendAsync(Gift(creator.UserId, "coffee", refusedKey));
        await replayed.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        await sender.Client.SendAsync(Gift(creator.UserId, "rose", refusedKey))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");
        await AssertNothingLeftAsync(sender, 100_000, creator.UserId);

        var first = await sender.Client.SendAsync(Gift(creator.UserId, "coffee", okKey));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Block(creator, sender.UserId)).StatusCode);
        var again = await sender.Client.SendAsync(Gift(creator.UserId, "coffee", okKey));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        await sender.GiftAsync(creator.UserId, "coffee").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");

        Assert.Equal(50_000, await app.BalanceAsync(sender.UserId));
        Assert.Equal(50_000, await app.SpentAsync(sender.UserId));
        Assert.Equal(45_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(1, await app.WithDbAsync(db => db.Gifts.CountAsync(g => g.SenderId == sender.UserId)));
        await app.AssertDailySpendMatchesPurchasesAsync(sender.UserId);
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>Same key sent many times at once to a blocking creator: one stored refusal, every answer that refusal.</summary>
    [Fact]
    public async Task GiftBatch_one_refused_key_sent_in_parallel_answers_blocked_or_in_progress_and_moves_nothing()
    {
        var creator = await app.CreatorAsync();
        var sender = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        Assert.Equal(HttpStatusCode.NoContent, (await Block(creator, sender.UserId)).StatusCode);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => sender.Client.SendAsync(Gift(creator.UserId, "rose", key))));
        foreach (var r in responses)
        {
            var code = (await r.JsonAsync()).GetProperty("code").GetString();
            Assert.True(code is "BLOCKED" or "IDEMPOTENCY_IN_PROGRESS", $"{r.StatusCode}: {code}");
        }

        await sender.Client.SendAsync(Gift(creator.UserId, "rose", key)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        await AssertNothingLeftAsync(sender, 100_000, creator.UserId);
    }

    /// <summary>Gifts racing a block and then an unblock: each is paid whole or refused whole, and the books say which.</summary>
    [Fact]
    public async Task GiftBatch_gifts_racing_a_block_and_an_unblock_pay_exactly_for_what_was_sent()
    {
        var creator = await app.CreatorAsync();
        var sender = (await app.CreateFundedUsersAsync(1, 1_000_000))[0];

        var first = Enumerable.Range(0, 6).Select(_ => sender.GiftAsync(creator.UserId, "rose")).ToList();
        var block = Block(creator, sender.UserId);
        await Task.WhenAll([.. first, block]);
        Assert.Equal(HttpStatusCode.NoContent, (await block).StatusCode);
        await sender.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");

        var second = Enumerable.Range(0, 6).Select(_ => sender.GiftAsync(creator.UserId, "rose")).ToList();
        var unblock = Unblock(creator, sender.UserId);
        await Task.WhenAll([.. second, unblock]);
        Assert.Equal(HttpStatusCode.NoContent, (await unblock).StatusCode);

        var sent = 0;
        foreach (var r in first.Concat(second).Select(t => t.Result))
        {
            if (r.StatusCode == HttpStatusCode.Created)
            {
                sent++;
                continue;
            }

            await r.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        }

        Assert.Equal(HttpStatusCode.Created, (await sender.GiftAsync(creator.UserId, "rose")).StatusCode);
        sent++;
        Assert.Equal(1_000_000 - (sent * 10_000L), await app.BalanceAsync(sender.UserId));
        Assert.Equal(sent * 10_000L, await app.SpentAsync(sender.UserId));
        Assert.Equal(sent * 9_000L, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(sent, await app.WithDbAsync(db => db.Gifts.CountAsync(g => g.SenderId == sender.UserId)));
        await app.AssertDailySpendMatchesPurchasesAsync(sender.UserId);
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>
    /// The creator hears of the one gift that went through, named by the sender's current username (changed before it),
    /// and the sender's wallet event comes for it alone: refused gifts push nothing.
    /// </summary>
    [Fact]
    public async Task GiftBatch_gift_received_names_the_renamed_sender_and_refused_gifts_push_no_events()
    {
        var (creator, plain) = (await app.CreatorAsync(), await app.RegisterAsync());
        var sender = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var renamed = "g" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.OK, (await sender.Client.PatchAsJsonAsync("/api/users/me", new { username = renamed })).StatusCode);
        await using var toCreator = await RealtimeClient.ConnectAsync(app, creator);
        await using var toSender = await RealtimeClient.ConnectAsync(app, sender);
        await using var toPlain = await RealtimeClient.ConnectAsync(app, plain);

        Assert.Equal(HttpStatusCode.NoContent, (await Block(creator, sender.UserId)).StatusCode);
        await sender.GiftAsync(creator.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        await sender.GiftAsync(plain.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "RECIPIENT_NOT_CREATOR");
        await sender.GiftAsync(creator.UserId, "crown").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        Assert.Equal(HttpStatusCode.NoContent, (await Unblock(creator, sender.UserId)).StatusCode);
        var ok = await sender.GiftAsync(creator.UserId, "star", 1);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var giftId = (await ok.JsonAsync()).GetProperty("giftId").GetGuid();

        var received = (await toCreator.WaitForAsync("gift.received")).GetProperty("data");
        Assert.Equal((giftId, sender.UserId, renamed, "star", 100_000L, 90_000L), (received.GetProperty("giftId").GetGuid(),
            received.GetProperty("from").GetProperty("id").GetGuid(), received.GetProperty("from").GetProperty("username").GetString(),
            received.GetProperty("giftType").GetString(), received.GetProperty("amount").GetInt64(),
            received.GetProperty("creatorShare").GetInt64()));
        var paid = await toSender.WaitForAsync("wallet.balance_changed", d => d.GetProperty("kind").GetString() == "gift");
        Assert.Equal((0L, -100_000L), (paid.GetProperty("data").GetProperty("balance").GetInt64(),
            paid.GetProperty("data").GetProperty("amount").GetInt64()));

        // Events are pushed after their commit in order; one more gift's arrival shows nothing older is still on its way.
        Assert.Equal(HttpStatusCode.Created, (await (await app.CreateFundedUsersAsync(1, 10_000))[0].GiftAsync(creator.UserId, "rose"))
            .StatusCode);
        await toCreator.WaitForCountAsync("gift.received", 2);
        Assert.Single(toCreator.OfType("gift.received"), e => e.GetProperty("data").GetProperty("from").GetProperty("id").GetGuid()
            == sender.UserId);
        Assert.Single(toSender.OfType("wallet.balance_changed"), e => e.GetProperty("data").GetProperty("kind").GetString() == "gift");
        Assert.Empty(toPlain.OfType("gift.received"));
        Assert.Equal(0, await app.BalanceAsync(sender.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>A creator's first gift creates their earnings rows and runs again: the recipient is asked afresh, paid once.</summary>
    [Fact]
    public async Task GiftBatch_a_first_gift_to_a_new_creator_after_a_refusal_is_paid_once_and_counted_once()
    {
        var creator = await app.CreatorAsync();
        var sender = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        Assert.Equal(HttpStatusCode.NoContent, (await Block(creator, sender.UserId)).StatusCode);
        await sender.GiftAsync(creator.UserId, "rose", 3).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        Assert.Equal(0, await app.WithDbAsync(db => db.Accounts.CountAsync(a => a.OwnerId == creator.UserId
            && a.Kind == AccountKind.EarningsPending)));
        Assert.Equal(HttpStatusCode.NoContent, (await Unblock(creator, sender.UserId)).StatusCode);

        var ok = await sender.GiftAsync(creator.UserId, "rose", 3);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(70_000, (await ok.JsonAsync()).GetProperty("balance").GetInt64());
        Assert.Equal(70_000, await app.BalanceAsync(sender.UserId));
        Assert.Equal(30_000, await app.SpentAsync(sender.UserId));
        Assert.Equal(27_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(1, await app.WithDbAsync(db => db.Gifts.CountAsync(g => g.RecipientId == creator.UserId)));
        await app.AssertDailySpendMatchesPurchasesAsync(sender.UserId);
        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class GiftBatchReviewTestsOnPostgres(App<Postgres, GiftSettings> app)
    : GiftBatchReviewTests<App<Postgres, GiftSettings>>(app);

public sealed class GiftBatchReviewTestsOnSqlite(App<Sqlite, GiftSettings> app)
    : GiftBatchReviewTests<App<Sqlite, GiftSettings>>(app);
