using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Tests.Creators;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;
using SuperApp.Tests.Subscriptions;

namespace SuperApp.Tests.Refunds;

public abstract class RefundTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static readonly TimeSpan Hold = new RevenueOptions().HoldingPeriod;

    [Fact]
    public async Task An_unlock_refund_makes_the_buyer_whole_takes_both_shares_back_and_removes_access()
    {
        var (admin, creator, buyer) = (await app.AdminAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        await app.FundAsync(buyer, 50_000);
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_001));   // fee 3,000, creator 7,001
        var platform = await app.SystemBalanceAsync(AccountKind.PlatformRevenue);
        var unlock = await buyer.UnlockAsync(content);
        Assert.Equal(HttpStatusCode.Created, unlock.StatusCode);
        var txId = (await unlock.JsonAsync()).GetProperty("transactionId").GetGuid();
        Assert.Equal(1, await UnlockCountAsync(content));

        var refund = await admin.RefundedAsync(txId, "content was not as described");
        Assert.Equal((10_001L, 7_001L, 0L, 0L), refund.Split());
        Assert.Equal(txId, refund.GetProperty("originalTransactionId").GetGuid());
        Assert.Equal("IDR", refund.GetProperty("currency").GetString());
        Assert.Equal("content was not as described", refund.GetProperty("reason").GetString());
        Assert.Equal(50_000, await app.BalanceAsync(buyer.UserId));
        Assert.Equal(0, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(platform, await app.SystemBalanceAsync(AccountKind.PlatformRevenue));

        var access = await (await buyer.Client.GetAsync($"/api/premium/{content}/access")).JsonAsync();
        Assert.False(access.GetProperty("hasAccess").GetBoolean());
        Assert.Equal(0, await UnlockCountAsync(content));
        var unlocked = await (await buyer.Client.GetAsync("/api/premium/unlocked")).JsonAsync();
        Assert.DoesNotContain(content.ToString(), unlocked.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // The admin view names the refund, and the refund names the purchase.
        var refundId = refund.GetProperty("refundTransactionId").GetGuid();
        var original = await admin.GetJsonAsync($"/api/admin/transactions/{txId}");
        Assert.Equal(refundId, original.GetProperty("refundTransactionId").GetGuid());
        Assert.False(original.GetProperty("refundable").GetBoolean());
        var view = await admin.GetJsonAsync($"/api/admin/transactions/{refundId}");
        Assert.Equal("refund", view.GetProperty("kind").GetString());
        Assert.Equal(txId, view.GetProperty("refundOf").GetGuid());
        Assert.Equal(0, view.GetProperty("entries").EnumerateArray().Sum(e => e.GetProperty("amount").GetInt64()));
        var audit = await admin.GetJsonAsync($"/api/admin/audit?entityType=ledger_transaction&entityId={txId}");
        var row = Assert.Single(audit.GetProperty("items").EnumerateArray(),
            r => r.GetProperty("action").GetString() == "ledger.refund_purchase");
        Assert.Contains("content was not as described", row.GetProperty("after").GetString(), StringComparison.Ordinal);
        Assert.Equal(admin.UserId, row.GetProperty("actorId").GetGuid());

        // Access can be bought again, as a new purchase.
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(content)).StatusCode);
        Assert.Equal(1, await UnlockCountAsync(content));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_gift_refund_keeps_every_leaderboard_exact()
    {
        var (admin, creator) = (await app.AdminAsync(), await app.CreatorAsync());
        var (fan, other) = (await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(fan, 1_000_000);
        await app.FundAsync(other, 1_000_000);
        var star = await fan.GiftedAsync(creator.UserId, "star", 2);     // 200,000: platform 20,000, creator 180,000
        await fan.GiftedAsync(creator.UserId, "rose", 3);
        await other.GiftedAsync(creator.UserId, "coffee");
        var pending = await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending);

        var refund = await admin.RefundedAsync(star);
        Assert.Equal((200_000L, 180_000L, 0L, 0L), refund.Split());
        Assert.Equal(1_000_000 - 30_000, await app.BalanceAsync(fan.UserId));
        Assert.Equal(pending - 180_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));

        await app.AssertLeaderboardMatchesUnrefundedGiftsAsync();
        var board = await fan.GetJsonAsync("/api/gift/leaderboard?board=senders&period=all");
        var mine = Assert.Single(board.GetProperty("items").EnumerateArray(),
            i => i.GetProperty("user").GetProperty("id").GetGuid() == fan.UserId);
        Assert.Equal((30_000L, 3L), (mine.GetProperty("total").GetInt64(), mine.GetProperty("count").GetInt64()));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_subscription_refund_ends_the_subscription_now()
    {
        var (admin, creator, fan) = (await app.AdminAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 60_000))).StatusCode);
        await app.FundAsync(fan, 100_000);
        var subscribed = await fan.SubscribeAsync(creator.UserId);
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var body = await subscribed.JsonAsync();
        var (txId, subscriptionId) = (body.GetProperty("transactionId").GetGuid(), body.GetProperty("subscription").Id());

        var refund = await admin.RefundedAsync(txId, "charged twice by mistake");
        Assert.Equal((60_000L, 48_000L, 0L, 0L), refund.Split());
        Assert.Equal(100_000, await app.BalanceAsync(fan.UserId));
        var s = await app.SubscriptionAsync(subscriptionId);
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.Refunded, false), (s.Status, s.EndReason, s.AutoRenew));
        Assert.NotNull(s.EndedAt);
        var check = await fan.GetJsonAsync($"/api/subscription/check/{creator.UserId}");
        Assert.False(check.GetProperty("subscribed").GetBoolean());

        // Ended, so it is never renewed; a new subscription is a new row.
        await app.RenewDueAsync(s.ExpiresAt.AddMinutes(1));
        Assert.Equal(100_000, await app.BalanceAsync(fan.UserId));
        Assert.Equal(HttpStatusCode.Created, (await fan.SubscribeAsync(creator.UserId)).StatusCode);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Refunding_a_period_already_renewed_keeps_the_paid_current_period()
    {
        var (admin, creator, fan) = (await app.AdminAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 20_000))).StatusCode);
        await app.FundAsync(fan, 100_000);
        var subscribed = await (await fan.SubscribeAsync(creator.UserId)).JsonAsync();
        var (first, subscriptionId) = (subscribed.GetProperty("transactionId").GetGuid(), subscribed.GetProperty("subscription").Id());
        var renewed = await fan.Client.PostAsync($"/api/subscription/{subscriptionId}/renew", null);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var second = (await renewed.JsonAsync()).GetProperty("transactionId").GetGuid();

        await admin.RefundedAsync(first, "first month was broken");
        Assert.Equal(SubscriptionStatus.Active, (await app.SubscriptionAsync(subscriptionId)).Status);
        Assert.Equal(80_000, await app.BalanceAsync(fan.UserId));

        await admin.RefundedAsync(second, "second month too");
        var s = await app.SubscriptionAsync(subscriptionId);
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.Refunded), (s.Status, s.EndReason));
        Assert.Equal(100_000, await app.BalanceAsync(fan.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_share_already_settled_comes_back_from_the_creator_wallet_and_what_was_spent_from_refund_losses()
    {
        var (admin, creator) = (await app.AdminAsync(), await app.CreatorAsync());
        var (fan, friend) = (await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(fan, 2_000_000);
        var first = await fan.GiftedAsync(creator.UserId, "diamond");     // creator 450,000
        var second = await fan.GiftedAsync(creator.UserId, "crown");      // creator 900,000
        await app.AdvanceAsync(Hold + TimeSpan.FromMinutes(1), admin, creator, fan, friend);
        Assert.Equal(1_350_000, (await admin.SettleAsync(creator.UserId)).PaidTo(creator.UserId));
        Assert.Equal(0, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));

        var fromWallet = await admin.RefundedAsync(first);
        Assert.Equal((500_000L, 0L, 450_000L, 0L), fromWallet.Split());
        Assert.Equal(900_000, await app.BalanceAsync(creator.UserId));

        // The creator spends most of the rest; the platform bears what the wallet no longer holds.
        var spent = await creator.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = friend.UserId, amount = 600_000 });
        Assert.Equal(HttpStatusCode.Created, spent.StatusCode);
        var losses = await app.SystemBalanceAsync(AccountKind.RefundLosses);
        var platform = await app.SystemBalanceAsync(AccountKind.PlatformRevenue);
        var fromLosses = await admin.RefundedAsync(second);
        Assert.Equal((1_000_000L, 0L, 300_000L, 600_000L), fromLosses.Split());
        Assert.Equal(0, await app.BalanceAsync(creator.UserId));
        Assert.Equal(losses - 600_000, await app.SystemBalanceAsync(AccountKind.RefundLosses));
        Assert.Equal(platform - 100_000, await app.SystemBalanceAsync(AccountKind.PlatformRevenue));
        Assert.Equal(2_000_000, await app.BalanceAsync(fan.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_share_partly_pending_takes_pending_first_then_the_wallet()
    {
        var (admin, creator, fan) = (await app.AdminAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        await app.FundAsync(fan, 2_000_000);
        var big = await fan.GiftedAsync(creator.UserId, "crown");        // creator 900,000
        await app.AdvanceAsync(Hold + TimeSpan.FromMinutes(1), admin, creator, fan);
        await admin.SettleAsync(creator.UserId);
        await fan.GiftedAsync(creator.UserId, "coffee");                  // 45,000 pending

        var refund = await admin.RefundedAsync(big);
        Assert.Equal((1_000_000L, 45_000L, 855_000L, 0L), refund.Split());
        Assert.Equal(0, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(45_000, await app.BalanceAsync(creator.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_frozen_creator_wallet_is_never_debited_and_the_platform_bears_the_share()
    {
        var (admin, creator, fan) = (await app.AdminAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        await app.FundAsync(fan, 1_000_000);
        var gift = await fan.GiftedAsync(creator.UserId, "diamond");      // creator 450,000
        await app.AdvanceAsync(Hold + TimeSpan.FromMinutes(1), admin, creator, fan);
        await admin.SettleAsync(creator.UserId);
        var freeze = await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{creator.UserId}/freeze", new { reason = "payout fraud" });
        Assert.Equal(HttpStatusCode.OK, freeze.StatusCode);

        var refund = await admin.RefundedAsync(gift);
        Assert.Equal((500_000L, 0L, 0L, 450_000L), refund.Split());
        Assert.Equal(450_000, await app.BalanceAsync(creator.UserId));
        Assert.Equal(1_000_000, await app.BalanceAsync(fan.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_purchase_is_refunded_once_and_only_purchases_can_be()
    {
        var (admin, creator, buyer) = (await app.AdminAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        await app.FundAsync(buyer, 100_000);
        var gift = await buyer.GiftedAsync(creator.UserId, "rose");
        var refund = await admin.RefundedAsync(gift);
        var balance = await app.BalanceAsync(buyer.UserId);

        await admin.RefundAsync(gift).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_REFUNDED");
        var otherAdmin = await app.AdminAsync();
        await otherAdmin.RefundAsync(gift, "another try").ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_REFUNDED");
        Assert.Equal(balance, await app.BalanceAsync(buyer.UserId));

        var transfer = await buyer.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = creator.UserId, amount = 1_000 });
        Assert.Equal(HttpStatusCode.Created, transfer.StatusCode);
        var transferId = (await transfer.JsonAsync()).GetProperty("transactionId").GetGuid();
        await admin.RefundAsync(transferId).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "NOT_REFUNDABLE");
        await admin.RefundAsync(refund.GetProperty("refundTransactionId").GetGuid())
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "NOT_REFUNDABLE");
        Assert.True((await admin.GetJsonAsync($"/api/admin/transactions/{transferId}")).GetProperty("refundable").GetBoolean() is false);
        await admin.RefundAsync(Guid.NewGuid()).ShouldBeProblemAsync(HttpStatusCode.NotFound, "TRANSACTION_NOT_FOUND");
        var missing = await admin.Client.GetAsync($"/api/admin/transactions/{Guid.NewGuid()}");
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound, "TRANSACTION_NOT_FOUND");
        await admin.RefundAsync(transferId, "no").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var tooLong = await admin.RefundAsync(transferId, new string('x', 501));
        await tooLong.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await admin.Client.PostAsJsonAsync($"/api/admin/transactions/{transferId}/refund", new { })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Reference == $"refund:{gift}")));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Only_admins_may_refund_or_read_admin_transactions()
    {
        var (creator, buyer) = (await app.CreatorAsync(), await app.RegisterAsync());
        await app.FundAsync(buyer, 100_000);
        var gift = await buyer.GiftedAsync(creator.UserId, "rose");

        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.RefundAsync(gift)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await creator.RefundAsync(gift)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.Client.GetAsync($"/api/admin/transactions/{gift}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.CreateClient().PostAsJsonAsync($"/api/admin/transactions/{gift}/refund", new { reason = "let me" })).StatusCode);
        Assert.Equal(90_000, await app.BalanceAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_frozen_buyer_is_still_refunded_and_stays_frozen()
    {
        var (admin, creator, buyer) = (await app.AdminAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        await app.FundAsync(buyer, 100_000);
        var gift = await buyer.GiftedAsync(creator.UserId, "coffee");
        var freeze = await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{buyer.UserId}/freeze", new { reason = "fraud review" });
        Assert.Equal(HttpStatusCode.OK, freeze.StatusCode);

        await admin.RefundedAsync(gift, "fraud review: give it back");
        Assert.Equal(100_000, await app.BalanceAsync(buyer.UserId));
        var wallet = await app.WithDbAsync(db =>
            db.Accounts.AsNoTracking().SingleAsync(a => a.OwnerId == buyer.UserId && a.Kind == AccountKind.Wallet));
        Assert.Equal(AccountStatus.Frozen, wallet.Status);
        var spend = await buyer.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = creator.UserId, amount = 1_000 });
        await spend.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_refund_is_not_refused_by_the_wallet_cap()
    {
        var (admin, creator, buyer) = (await app.AdminAsync(), await app.CreatorAsync(), await app.RegisterAsync());
        await app.FundAsync(buyer, 100_000);
        var gift = await buyer.GiftedAsync(creator.UserId, "rose");
        var cap = new RevenueOptions().Limits.MaxWalletBalance;
        var fill = cap - await app.BalanceAsync(buyer.UserId);
        await app.PostAsync(PostingRequest.Move(
            TransactionKind.Topup, AccountRef.System(AccountKind.ExternalFunding), AccountRef.Wallet(buyer.UserId), fill));

        await admin.RefundedAsync(gift);
        Assert.Equal(cap + 10_000, await app.BalanceAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    private Task<long> UnlockCountAsync(Guid content) =>
        app.WithDbAsync(db => db.PremiumContents.Where(c => c.Id == content).Select(c => c.UnlockCount).SingleAsync());
}

public sealed class RefundTestsOnPostgres(App<Postgres, PremiumSettings> app) : RefundTests<App<Postgres, PremiumSettings>>(app);

public sealed class RefundTestsOnSqlite(App<Sqlite, PremiumSettings> app) : RefundTests<App<Sqlite, PremiumSettings>>(app);
