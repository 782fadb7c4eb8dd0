using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

/// <summary>Money policy for payouts: a freeze stops money leaving, never coming back; nobody approves their own.</summary>
public abstract class PayoutRulesTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static readonly object Bank = new { bankName = "BCA", accountNumber = "0123456789", accountName = "Test User" };

    private static async Task<Guid> WithdrawAsync(Session s, long amount)
    {
        var response = await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount, bankAccount = Bank });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("withdrawalId").GetGuid();
    }

    private static Task<HttpResponseMessage> FreezeAsync(Session admin, Guid userId) =>
        admin.Client.PostAsJsonAsync($"/api/admin/wallets/{userId}/freeze", new { reason = "fraud review" });

    [Fact]
    public async Task A_frozen_wallets_withdrawal_is_not_paid_out_and_rejecting_it_returns_the_funds()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        await app.FundAsync(s, 100_000);
        var id = await WithdrawAsync(s, 80_000);
        var payouts = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalPayouts);
        Assert.Equal(HttpStatusCode.OK, (await FreezeAsync(admin, s.UserId)).StatusCode);

        var approve = await admin.Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null);
        await approve.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        Assert.Equal(payouts, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalPayouts));

        var reject = await admin.Client.PostAsJsonAsync($"/api/admin/withdrawals/{id}/reject", new { reason = "fraud" });
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        Assert.Equal("rejected", (await reject.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(100_000, await app.BalanceAsync(s.UserId));
        Assert.Equal("frozen", (await (await s.Client.GetAsync("/api/wallet/balance")).JsonAsync()).GetProperty("status").GetString());
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task An_admin_cannot_approve_their_own_withdrawal_but_another_admin_can()
    {
        var admin = await app.AdminAsync();
        var other = await app.AdminAsync();
        await app.FundAsync(admin, 100_000);
        var id = await WithdrawAsync(admin, 60_000);

        var own = await admin.Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null);
        await own.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "SELF_APPROVAL");
        Assert.Equal(WithdrawalStatus.Pending,
            await app.WithDbAsync(db => db.Withdrawals.Where(w => w.Id == id).Select(w => w.Status).FirstAsync()));

        Assert.Equal(HttpStatusCode.OK, (await other.Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null)).StatusCode);
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_suspended_owners_withdrawal_is_not_paid_out()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        await app.FundAsync(s, 100_000);
        var id = await WithdrawAsync(s, 70_000);
        var suspend = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{s.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);

        var approve = await admin.Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null);
        await approve.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ACCOUNT_SUSPENDED");
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Client.PostAsJsonAsync($"/api/admin/withdrawals/{id}/reject", new { reason = "closed" })).StatusCode);
        Assert.Equal(100_000, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Transfer_amounts_out_of_range_are_refused_without_a_server_error()
    {
        var s = await app.RegisterAsync();
        var to = await app.RegisterAsync();
        await app.FundAsync(s, 100_000);
        foreach (var amount in new[] { 100_000_001L, 9_000_000_000_000_000_000L, long.MaxValue })
        {
            var response = await s.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = to.UserId, amount });
            await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        }

        Assert.Equal(100_000, await app.BalanceAsync(s.UserId));
        Assert.Equal(0, await app.BalanceAsync(to.UserId));
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class PayoutRulesTestsOnPostgres(App<Postgres, Defaults> app) : PayoutRulesTests<App<Postgres, Defaults>>(app);

public sealed class PayoutRulesTestsOnSqlite(App<Sqlite, Defaults> app) : PayoutRulesTests<App<Sqlite, Defaults>>(app);

/// <summary>A freeze racing an approval: each run ends with one outcome, and the funds are accounted for.</summary>
public sealed class FreezeRacingApprovalTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    [Fact]
    public async Task Each_race_ends_paid_out_or_still_pending_and_rejecting_then_returns_the_funds()
    {
        var admin = await app.AdminAsync();
        var freezer = await app.AdminAsync();
        var outcomes = new List<HttpStatusCode>();
        for (var run = 0; run < 10; run++)
        {
            var s = await app.RegisterAsync();
            await app.FundAsync(s, 100_000);
            var response = await s.Client.PostAsJsonAsync("/api/wallet/withdraw",
                new { amount = 100_000, bankAccount = new { bankName = "BCA", accountNumber = "0123456789", accountName = "T" } });
            var id = (await response.JsonAsync()).GetProperty("withdrawalId").GetGuid();

            var approve = admin.Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null);
            var freeze = freezer.Client.PostAsJsonAsync($"/api/admin/wallets/{s.UserId}/freeze", new { reason = "fraud review" });
            var (approved, frozen) = (await approve, await freeze);
            Assert.Equal(HttpStatusCode.OK, frozen.StatusCode);
            outcomes.Add(approved.StatusCode);

            var status = await app.WithDbAsync(db => db.Withdrawals.Where(w => w.Id == id).Select(w => w.Status).FirstAsync());
            if (approved.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(WithdrawalStatus.Approved, status);
            }
            else
            {
                await approved.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
                Assert.Equal(WithdrawalStatus.Pending, status);
                Assert.Equal(HttpStatusCode.OK,
                    (await admin.Client.PostAsJsonAsync($"/api/admin/withdrawals/{id}/reject", new { reason = "fraud" })).StatusCode);
                Assert.Equal(100_000, await app.BalanceAsync(s.UserId));
            }
        }

        Assert.All(outcomes, o => Assert.True(o is HttpStatusCode.OK or HttpStatusCode.Forbidden, o.ToString()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Withdrawals.CountAsync(w => w.Status == WithdrawalStatus.Pending)));
        Assert.Equal(0, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.WithdrawalHold));
        await app.AssertLedgerConsistentAsync();
    }
}
