using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SuperApp.Features.Ledger;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;

namespace SuperApp.Tests.Regressions;

/// <summary>
/// Chargebacks that re-read the top-up under the wallet's lock, raced against refunds, releases and each other:
/// the money leaves exactly once, nothing answers 5xx, no wallet goes negative.
/// </summary>
public sealed class LastReviewChargebackTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    private async Task<(Session User, Guid Id, string Reference)> HeldAsync(Session admin, long amount)
    {
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, amount);
        await admin.FreezeAsync(s.UserId);
        Assert.Equal("held", await app.WebhookStatusAsync(reference, "paid", amount));
        await admin.UnfreezeAsync(s.UserId);
        return (s, id, reference);
    }

    private Task<int> OutgoingAsync(Guid id) => app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t =>
        t.Reference == $"topup:{id}:refund" || t.Reference == $"topup:{id}:chargeback" || t.Reference == $"topup:{id}:release"));

    private Task<TopupStatus> StatusAsync(Guid id) =>
        app.WithDbAsync(db => db.Topups.Where(t => t.Id == id).Select(t => t.Status).SingleAsync());

    [Fact]
    public async Task LastReview_a_chargeback_whose_claim_meets_a_refund_starting_runs_again_and_takes_it_from_suspense_once()
    {
        var admin = await app.AdminAsync();
        var (s, id, reference) = await HeldAsync(admin, 150_000);

        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        Task<HttpResponseMessage> chargeback;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            // The refund's first step, as it commits: held → refunding, with no wallet lock taken.
            const string Mark = "UPDATE topups SET status = 'refunding' WHERE id = @id AND status = 'held'";
            await using (var mark = new NpgsqlCommand(Mark, conn, tx))
            {
                mark.Parameters.AddWithValue("id", id);
                Assert.Equal(1, await mark.ExecuteNonQueryAsync());
            }

            chargeback = app.SendWebhookAsync(reference, "chargeback", 150_000);
            await WaitForLockWaitersAsync(1, chargeback); // read held under the wallet's lock, claim waits on the top-up row
            await tx.CommitAsync();
        }

        var answer = await chargeback;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("charged_back", (await answer.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(TopupStatus.ChargedBack, await StatusAsync(id));

        // The refund that follows finds it charged back: no second exit for the money, no 5xx.
        await admin.ResolveTopupAsync(id, "refund", "fraud confirmed").ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");
        Assert.Equal(1, await OutgoingAsync(id));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_a_chargeback_racing_a_refund_of_the_same_held_topup_lets_the_money_leave_once()
    {
        var admin = await app.AdminAsync();
        for (var round = 0; round < 4; round++)
        {
            var (s, id, reference) = await HeldAsync(admin, 120_000);
            var refund = admin.ResolveTopupAsync(id, "refund", "fraud confirmed");
            var chargeback = app.SendWebhookAsync(reference, "chargeback", 120_000);
            var (r, c) = (await refund, await chargeback);

            Assert.True((int)r.StatusCode < 500, $"refund answered {(int)r.StatusCode}");
            Assert.Equal(HttpStatusCode.OK, c.StatusCode);
            var status = await StatusAsync(id);
            Assert.Contains(status, new[] { TopupStatus.Refunded, TopupStatus.ChargedBack });
            Assert.Equal(1, await OutgoingAsync(id));
            Assert.Equal(r.StatusCode == HttpStatusCode.OK, status == TopupStatus.Refunded);
            Assert.Equal(0, await app.BalanceAsync(s.UserId));
        }

        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_a_refunded_topup_then_charged_back_moves_nothing_more()
    {
        var admin = await app.AdminAsync();
        var (s, id, reference) = await HeldAsync(admin, 100_000);
        Assert.Equal(HttpStatusCode.OK, (await admin.ResolveTopupAsync(id, "refund", "fraud confirmed")).StatusCode);
        Assert.Equal("refunded", await app.WebhookStatusAsync(reference, "chargeback", 100_000));
        Assert.Equal(1, await OutgoingAsync(id));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_two_chargebacks_at_once_of_a_succeeded_topup_take_it_back_once()
    {
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 90_000);
        Assert.Equal("succeeded", await app.WebhookStatusAsync(reference, "paid", 90_000));
        var losses = await app.BalanceAsync(Guid.Empty, AccountKind.ChargebackLosses);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.SendWebhookAsync(reference, "chargeback", 90_000)));
        foreach (var a in answers)
        {
            Assert.Equal(HttpStatusCode.OK, a.StatusCode);
            Assert.Equal("charged_back", (await a.JsonAsync()).GetProperty("status").GetString());
        }

        Assert.Equal(1, await OutgoingAsync(id));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.Equal(losses, await app.BalanceAsync(Guid.Empty, AccountKind.ChargebackLosses));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_two_chargebacks_at_once_of_a_held_topup_take_it_from_suspense_once()
    {
        var admin = await app.AdminAsync();
        var (s, id, reference) = await HeldAsync(admin, 80_000);
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.SendWebhookAsync(reference, "chargeback", 80_000)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(TopupStatus.ChargedBack, await StatusAsync(id));
        Assert.Equal(1, await OutgoingAsync(id));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        await admin.ResolveTopupAsync(id, "release", "late").ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_a_chargeback_racing_a_release_leaves_nothing_in_the_wallet_and_never_goes_negative()
    {
        var admin = await app.AdminAsync();
        for (var round = 0; round < 4; round++)
        {
            var (s, id, reference) = await HeldAsync(admin, 70_000);
            var release = admin.ResolveTopupAsync(id, "release", "checked and fine");
            var chargeback = app.SendWebhookAsync(reference, "chargeback", 70_000);
            var (r, c) = (await release, await chargeback);
            Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"release answered {(int)r.StatusCode}");
            Assert.Equal(HttpStatusCode.OK, c.StatusCode);
            Assert.Equal("charged_back", (await c.JsonAsync()).GetProperty("status").GetString());
            Assert.Equal(TopupStatus.ChargedBack, await StatusAsync(id));
            Assert.Equal(0, await app.BalanceAsync(s.UserId));
            Assert.Equal(r.StatusCode == HttpStatusCode.OK ? 2 : 1, await OutgoingAsync(id));
        }

        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_a_chargeback_of_a_pending_topup_moves_nothing_and_a_later_paid_then_chargeback_settle_once()
    {
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 60_000);
        Assert.Equal("pending", await app.WebhookStatusAsync(reference, "chargeback", 60_000));
        Assert.Equal(0, await OutgoingAsync(id));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));

        Assert.Equal("succeeded", await app.WebhookStatusAsync(reference, "paid", 60_000));
        Assert.Equal(60_000, await app.BalanceAsync(s.UserId));
        Assert.Equal("charged_back", await app.WebhookStatusAsync(reference, "chargeback", 60_000));
        Assert.Equal("charged_back", await app.WebhookStatusAsync(reference, "chargeback", 60_000));
        Assert.Equal(1, await OutgoingAsync(id));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
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

        Assert.Fail(pending.IsCompleted ? "The request finished instead of waiting." : "No request waited on a lock.");
    }
}

/// <summary>
/// Purchases whose statements ride in the ledger batch, asked with ids that are not the buyer's to use, content that is
/// not for sale, and bursts of the same unlock with and without one Idempotency-Key.
/// </summary>
public sealed class LastReviewPurchaseTests(App<Postgres, PremiumSettings> app) : IClassFixture<App<Postgres, PremiumSettings>>
{
    private async Task AssertNothingMovedAsync(Session buyer, long funds)
    {
        Assert.Equal(funds, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(0, await app.SpentAsync(buyer.UserId));
        Assert.Equal(0, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.ActorId == buyer.UserId)));
    }

    [Fact]
    public async Task LastReview_draft_deleted_own_and_unknown_content_sell_nothing()
    {
        var creator = await app.CreatorAsync();
        var draft = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000), publish: false);
        var deleted = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        Assert.True((await creator.Client.DeleteAsync($"/api/premium/{deleted}")).IsSuccessStatusCode);
        var deletedDraft = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000), publish: false);
        Assert.True((await creator.Client.DeleteAsync($"/api/premium/{deletedDraft}")).IsSuccessStatusCode);
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];

        await buyer.UnlockAsync(draft).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await buyer.UnlockAsync(deleted).ShouldBeProblemAsync(HttpStatusCode.Gone, "CONTENT_DELETED");
        await buyer.UnlockAsync(deletedDraft).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await buyer.UnlockAsync(Guid.NewGuid()).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await buyer.UnlockAsync(buyer.UserId).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await buyer.Client.SendAsync(PremiumApi.Unlock(draft, Guid.NewGuid().ToString()))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONTENT_NOT_FOUND");
        await AssertNothingMovedAsync(buyer, 100_000);
        Assert.Equal(0, await app.UnlockCountAsync([draft, deleted, deletedDraft]));
        Assert.Equal(0, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.UserId == buyer.UserId)));

        var own = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        await creator.UnlockAsync(own).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "OWN_CONTENT");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_gifts_to_ids_that_are_no_creator_to_pay_move_nothing()
    {
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var plain = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));

        await buyer.GiftAsync(plain.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "RECIPIENT_NOT_CREATOR");
        await buyer.GiftAsync(Guid.NewGuid(), "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await buyer.GiftAsync(content, "rose").ShouldBeProblemAsync(HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND");
        await buyer.GiftAsync(buyer.UserId, "rose").ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "SELF_GIFT");
        await AssertNothingMovedAsync(buyer, 100_000);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_a_burst_of_unlocks_of_one_content_by_one_buyer_without_a_key_buys_it_once()
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => buyer.UnlockAsync(content)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        foreach (var a in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await a.ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        }

        Assert.Equal(90_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(10_000, await app.SpentAsync(buyer.UserId));
        Assert.Equal(1, await app.UnlockCountAsync([content]));
        Assert.Equal(1, await app.WithDbAsync(db => db.ContentUnlocks.CountAsync(u => u.ContentId == content)));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_a_burst_of_unlocks_with_one_idempotency_key_buys_once_and_replays_the_same_unlock()
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => buyer.Client.SendAsync(PremiumApi.Unlock(content, key))));
        var ids = new HashSet<Guid>();
        foreach (var a in answers)
        {
            if (a.StatusCode == HttpStatusCode.Created)
            {
                ids.Add((await a.JsonAsync()).GetProperty("unlockId").GetGuid());
            }
            else
            {
                await a.ShouldBeProblemAsync(HttpStatusCode.Conflict, "IDEMPOTENCY_IN_PROGRESS");
            }
        }

        Assert.Single(ids);
        var replay = await buyer.Client.SendAsync(PremiumApi.Unlock(content, key));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(ids.Single(), (await replay.JsonAsync()).GetProperty("unlockId").GetGuid());

        Assert.Equal(90_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(10_000, await app.SpentAsync(buyer.UserId));
        Assert.Equal(1, await app.UnlockCountAsync([content]));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.ActorId == buyer.UserId)));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task LastReview_a_burst_with_distinct_keys_buys_once_and_leaves_no_spend_behind_for_the_refused()
    {
        var creator = await app.CreatorAsync();
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        var buyer = (await app.CreateFundedUsersAsync(1, 100_000))[0];

        var answers = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => buyer.Client.SendAsync(PremiumApi.Unlock(content, Guid.NewGuid().ToString()))));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"answered {(int)a.StatusCode}"));
        foreach (var a in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await a.ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_UNLOCKED");
        }

        Assert.Equal(90_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(10_000, await app.SpentAsync(buyer.UserId));
        Assert.Equal(1, await app.UnlockCountAsync([content]));
        await app.AssertDailySpendMatchesPurchasesAsync(buyer.UserId);
        await app.AssertLedgerConsistentAsync();
    }
}
