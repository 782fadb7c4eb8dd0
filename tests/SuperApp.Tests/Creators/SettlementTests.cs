using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Gifts;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Creators;

public abstract class SettlementTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static readonly TimeSpan Hold = new RevenueOptions().HoldingPeriod;

    [Fact]
    public async Task Earnings_settle_into_the_wallet_once_past_the_holding_period_and_only_once()
    {
        var (admin, fan, creator) = (await app.AdminAsync(), await app.RegisterAsync(), await app.CreatorAsync());
        await app.FundAsync(fan, 1_000_000);
        await fan.GiftAsync(creator.UserId, "star", 2);                  // 180,000 to the creator
        Assert.Equal(0, (await admin.SettleAsync(creator.UserId)).PaidTo(creator.UserId));
        await app.AdvanceAsync(TimeSpan.FromDays(4), admin, fan, creator);
        await fan.GiftAsync(creator.UserId, "star");                 // 90,000 more, four days younger
        await app.AdvanceAsync(Hold - TimeSpan.FromDays(4) + TimeSpan.FromMinutes(1), admin, fan, creator);

        var preview = await admin.SettleAsync(creator.UserId, dryRun: true);
        Assert.True(preview.GetProperty("dryRun").GetBoolean());
        Assert.Equal(180_000, preview.PaidTo(creator.UserId));
        Assert.Equal(270_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));

        var report = await admin.SettleAsync(creator.UserId);
        Assert.Equal(180_000, report.PaidTo(creator.UserId));
        Assert.Equal((90_000L, 180_000L),
            (await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending), await app.BalanceAsync(creator.UserId)));
        Assert.Equal(0, (await admin.SettleAsync(creator.UserId)).PaidTo(creator.UserId));

        await app.AdvanceAsync(TimeSpan.FromDays(4), admin, fan, creator);
        Assert.Equal(90_000, (await admin.SettleAsync()).PaidTo(creator.UserId));
        Assert.Equal((0L, 270_000L, 270_000L, 0L, 0L, 270_000L), (await creator.GetJsonAsync("/api/creator/revenue")).Revenue());

        var history = (await creator.GetJsonAsync("/api/creator/revenue/history?kind=settlement")).GetProperty("items").EnumerateArray()
            .ToList();
        Assert.Equal([-90_000L, -180_000L], history.Select(l => l.GetProperty("amount").GetInt64()));
        var wallet = await creator.GetJsonAsync("/api/wallet/transactions?kind=settlement");
        Assert.Equal([90_000L, 180_000L], wallet.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("amount").GetInt64()));
        var audit = await admin.GetJsonAsync($"/api/admin/audit?actorId={admin.UserId}");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), r => r.GetProperty("action").GetString() == "ledger.settlement");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_frozen_wallet_keeps_its_earnings_pending_until_unfrozen()
    {
        var (admin, fan, creator) = (await app.AdminAsync(), await app.RegisterAsync(), await app.CreatorAsync());
        await app.FundAsync(fan, 100_000);
        await fan.GiftAsync(creator.UserId, "rose");
        await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{creator.UserId}/freeze", new { reason = "chargeback review" });
        await app.AdvanceAsync(Hold + TimeSpan.FromMinutes(1), admin);
        // Skipped, not refused: a frozen wallet is not an error to report (and log) on every run.
        var report = await admin.SettleAsync(creator.UserId);
        Assert.Empty(report.GetProperty("items").EnumerateArray());
        Assert.Equal((0, 1), (report.GetProperty("refused").GetInt32(), report.GetProperty("skipped").GetInt32()));
        Assert.Equal(9_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));

        await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{creator.UserId}/unfreeze", new { reason = "cleared" });
        Assert.Equal(9_000, (await admin.SettleAsync(creator.UserId)).PaidTo(creator.UserId));
        Assert.Equal(9_000, await app.BalanceAsync(creator.UserId));
    }

    [Fact]
    public async Task A_deleted_creators_earnings_stay_pending_and_no_wallet_is_created_for_them()
    {
        var (admin, fan) = (await app.AdminAsync(), await app.RegisterAsync());
        var (deleted, active) = (await app.CreatorAsync(), await app.CreatorAsync());
        await app.FundAsync(fan, 100_000);
        await fan.GiftAsync(deleted.UserId, "rose");
        await fan.GiftAsync(active.UserId, "rose");
        Assert.Equal(HttpStatusCode.NoContent, (await deleted.Client.DeleteAsync("/api/users/me")).StatusCode);
        await app.AdvanceAsync(Hold + TimeSpan.FromMinutes(1), admin);
        var report = await admin.SettleAsync();
        Assert.Equal((0L, 9_000L), (report.PaidTo(deleted.UserId), report.PaidTo(active.UserId))); // the batch goes on
        var listed = report.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("creatorId").GetGuid());
        Assert.DoesNotContain(deleted.UserId, listed);
        Assert.True(report.GetProperty("skipped").GetInt32() >= 1);
        var one = await admin.SettleAsync(deleted.UserId);
        Assert.Equal((0, 0, 1), Counts(one));

        Assert.False(await app.WithDbAsync(db => db.Accounts.AnyAsync(a => a.OwnerId == deleted.UserId && a.Kind == AccountKind.Wallet)));
        Assert.Equal(9_000, await app.BalanceAsync(deleted.UserId, AccountKind.EarningsPending));
        Assert.Equal(9_000, await app.BalanceAsync(active.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_suspended_creators_earnings_stay_pending_until_the_suspension_is_lifted()
    {
        var (admin, fan, creator) = (await app.AdminAsync(), await app.RegisterAsync(), await app.CreatorAsync());
        await app.FundAsync(fan, 100_000);
        await fan.GiftAsync(creator.UserId, "rose");
        Assert.Equal(HttpStatusCode.OK, (await SetStatusAsync(admin, creator, "suspended")).StatusCode);
        await app.AdvanceAsync(Hold + TimeSpan.FromMinutes(1), admin);
        Assert.Equal((0, 0, 1), Counts(await admin.SettleAsync(creator.UserId)));
        Assert.Equal(9_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));

        Assert.Equal(HttpStatusCode.OK, (await SetStatusAsync(admin, creator, "active")).StatusCode);
        Assert.Equal(9_000, (await admin.SettleAsync(creator.UserId)).PaidTo(creator.UserId));
        Assert.Equal(0, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(9_000, await app.BalanceAsync(creator.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    private static Task<HttpResponseMessage> SetStatusAsync(Session admin, Session user, string status) =>
        admin.Client.PatchAsJsonAsync($"/api/admin/users/{user.UserId}", new { status });

    private static (int Paid, int Refused, int Skipped) Counts(System.Text.Json.JsonElement report) =>
        (report.GetProperty("paid").GetInt32(), report.GetProperty("refused").GetInt32(), report.GetProperty("skipped").GetInt32());

    [Fact]
    public async Task Settle_is_for_admins_and_names_a_known_creator()
    {
        var (admin, creator) = (await app.AdminAsync(), await app.CreatorAsync());
        await creator.Client.PostAsJsonAsync("/api/admin/revenue/settle", new { })
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
        await admin.Client.PostAsJsonAsync("/api/admin/revenue/settle", new { creatorId = Guid.NewGuid() })
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "USER_NOT_FOUND");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync("/api/admin/revenue/settle", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsync("/api/admin/revenue/settle", null)).StatusCode);
    }
}

public sealed class SettlementTestsOnPostgres(App<Postgres, Defaults> app) : SettlementTests<App<Postgres, Defaults>>(app);

public sealed class SettlementTestsOnSqlite(App<Sqlite, Defaults> app) : SettlementTests<App<Sqlite, Defaults>>(app);
