using System.Net;
using System.Net.Http.Json;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

public abstract class WithdrawalTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static object Bank(string number = "0123456789") => new { bankName = "BCA", accountNumber = number, accountName = "Test User" };

    [Fact]
    public async Task A_withdrawal_reserves_funds_at_once_and_masks_the_account_number()
    {
        var s = await app.RegisterAsync();
        await app.FundAsync(s, 100_000);

        var response = await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount = 60_000, bankAccount = Bank() });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("0123456789", raw, StringComparison.Ordinal);
        var body = await response.JsonAsync();
        Assert.Equal(6_200, body.GetProperty("fee").GetInt64());
        Assert.Equal(53_800, body.GetProperty("netAmount").GetInt64());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Equal("******6789", body.GetProperty("accountNumber").GetString());

        Assert.Equal(40_000, await app.BalanceAsync(s.UserId));
        var second = await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount = 50_000, bankAccount = Bank() });
        await second.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Approval_pays_out_net_and_books_the_fee_once()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        await app.FundAsync(s, 100_000);
        var id = (await (await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount = 100_000, bankAccount = Bank() }))
            .JsonAsync())
            .GetProperty("withdrawalId").GetGuid();
        var payoutsBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalPayouts);
        var revenueBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue);

        var approve = await admin.Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal("approved", (await approve.JsonAsync()).GetProperty("status").GetString());
        await admin.Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null)
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "WITHDRAWAL_ALREADY_DECIDED");
        Assert.Equal(HttpStatusCode.Conflict,
            (await admin.Client.PostAsJsonAsync($"/api/admin/withdrawals/{id}/reject", new { reason = "too late" })).StatusCode);

        Assert.Equal(payoutsBefore + 93_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalPayouts));
        Assert.Equal(revenueBefore + 7_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Rejection_returns_the_whole_amount_to_the_wallet()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        await app.FundAsync(s, 80_000);
        var id = (await (await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount = 70_000, bankAccount = Bank() })).JsonAsync())
            .GetProperty("withdrawalId").GetGuid();

        var reject = await admin.Client.PostAsJsonAsync($"/api/admin/withdrawals/{id}/reject", new { reason = "name mismatch" });
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        Assert.Equal(80_000, await app.BalanceAsync(s.UserId));

        var mine = await (await s.Client.GetAsync("/api/wallet/withdrawals")).JsonAsync();
        var item = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal("rejected", item.GetProperty("status").GetString());
        Assert.Equal("name mismatch", item.GetProperty("rejectReason").GetString());
        await admin.Client.PostAsync($"/api/admin/withdrawals/{Guid.NewGuid()}/approve", null)
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "WITHDRAWAL_NOT_FOUND");
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null)).StatusCode);
    }

    [Fact]
    public async Task Withdrawal_input_errors()
    {
        var s = await app.RegisterAsync();
        await app.FundAsync(s, 100_000_000);
        await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount = 49_999, bankAccount = Bank() })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount = 50_000_001, bankAccount = Bank() })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount = 60_000 })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await s.Client.PostAsJsonAsync("/api/wallet/withdraw", new { amount = 60_000, bankAccount = Bank("12ab") })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(100_000_000, await app.BalanceAsync(s.UserId));
    }
}

public sealed class WithdrawalTestsOnPostgres(App<Postgres, Defaults> app) : WithdrawalTests<App<Postgres, Defaults>>(app);

public sealed class WithdrawalTestsOnSqlite(App<Sqlite, Defaults> app) : WithdrawalTests<App<Sqlite, Defaults>>(app);
