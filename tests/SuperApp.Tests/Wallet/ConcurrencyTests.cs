using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

/// <summary>Many real concurrent HTTP clients against PostgreSQL, judged by the ledger invariants afterwards.</summary>
public sealed class ConcurrencyTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    [Fact]
    public async Task Two_hundred_users_transferring_at_random_conserve_money()
    {
        const int users = 200;
        const long funds = 100_000;
        var sessions = await app.CreateFundedUsersAsync(users, funds);
        var rng = new Random(42);
        var plan = sessions.Select((s, i) => (From: s, To: sessions[(i + 1 + rng.Next(users - 1)) % users],
            Amount: (long)rng.Next(1, 30_000))).ToList();
        // Include direct A→B / B→A pairs, the classic deadlock shape.
        plan.AddRange(Enumerable.Range(0, 50).Select(i => (From: sessions[i + 1], To: sessions[i], Amount: 777L)));
        plan.AddRange(Enumerable.Range(0, 50).Select(i => (From: sessions[i], To: sessions[i + 1], Amount: 777L)));

        var statuses = await Task.WhenAll(plan.Select(async p =>
            (await p.From.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = p.To.UserId, amount = p.Amount })).StatusCode));

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, $"unexpected {s}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) > plan.Count / 2);
        await app.AssertLedgerConsistentAsync();
        var ids = sessions.Select(s => s.UserId).ToList();
        var total = await app.WithDbAsync(db => db.Accounts.Where(a => ids.Contains(a.OwnerId) && a.Kind == AccountKind.Wallet)
            .SumAsync(a => a.Balance));
        Assert.Equal(users * funds, total);
    }

    [Fact]
    public async Task A_wallet_funded_for_exactly_100_transfers_allows_exactly_100_of_200()
    {
        var sessions = await app.CreateFundedUsersAsync(2, 0);
        var (payer, payee) = (sessions[0], sessions[1]);
        await app.PostAsync(PostingRequest.Move(TransactionKind.Topup, AccountRef.System(AccountKind.ExternalFunding),
            AccountRef.Wallet(payer.UserId), 100 * 1_000));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
            (await payer.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = payee.UserId, amount = 1_000 })).StatusCode));

        // Any other status (a 5xx from a deadlock, say) shows up in the tally.
        var tally = string.Join(" ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"));
        Assert.Equal("201x100 422x100", tally);
        Assert.Equal(0, await app.BalanceAsync(payer.UserId));
        Assert.Equal(100_000, await app.BalanceAsync(payee.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Concurrent_first_credits_to_a_user_without_a_wallet_all_land()
    {
        var payers = await app.CreateFundedUsersAsync(8, 10_000);
        var payee = (await app.CreateFundedUsersAsync(1, 0))[0]; // no wallet row until the first credit

        // Each payer pays several times at once, so transactions also queue on each other's wallets.
        var statuses = await Task.WhenAll(payers.SelectMany(p => Enumerable.Repeat(p, 4)).Select(async p =>
            (await p.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = payee.UserId, amount = 2_500 })).StatusCode));

        var tally = string.Join(" ", statuses.GroupBy(s => (int)s).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"));
        Assert.Equal("201x32", tally);
        Assert.Equal(32 * 2_500, await app.BalanceAsync(payee.UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.Accounts.CountAsync(a => a.OwnerId == payee.UserId
            && a.Kind == AccountKind.Wallet)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Twenty_concurrent_duplicate_webhooks_credit_once()
    {
        var s = await app.RegisterAsync();
        var reference = (await (await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 75_000, provider = "sandbox" }))
            .JsonAsync())
            .GetProperty("reference").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.SendWebhookAsync(reference, "paid", 75_000)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(75_000, await app.BalanceAsync(s.UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Reference != null
            && t.Reference.StartsWith("topup:") &&
            db.LedgerEntries.Any(e => e.TransactionId == t.Id && db.Accounts.Any(a => a.Id == e.AccountId && a.OwnerId == s.UserId)))));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Concurrent_withdrawals_beyond_the_balance_reserve_only_what_fits()
    {
        var s = (await app.CreateFundedUsersAsync(1, 250_000))[0];
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
            (await s.Client.PostAsJsonAsync("/api/wallet/withdraw",
                new { amount = 100_000, bankAccount = new { bankName = "BRI", accountNumber = "5555666677", accountName = "X" } }))
                    .StatusCode));

        Assert.Equal(2, statuses.Count(st => st == HttpStatusCode.Accepted));
        Assert.Equal(8, statuses.Count(st => st == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(50_000, await app.BalanceAsync(s.UserId));
        Assert.Equal(2, await app.WithDbAsync(db => db.Withdrawals.CountAsync(w => w.UserId == s.UserId)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Two_admins_approving_together_pay_out_once()
    {
        var admins = new[] { await app.AdminAsync(), await app.AdminAsync() };
        var s = (await app.CreateFundedUsersAsync(1, 500_000))[0];
        var id = (await (await s.Client.PostAsJsonAsync("/api/wallet/withdraw",
            new { amount = 500_000, bankAccount = new { bankName = "BNI", accountNumber = "1111222233", accountName = "Y" } })).JsonAsync())
            .GetProperty("withdrawalId").GetGuid();
        var payoutsBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalPayouts);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
            (await admins[i % 2].Client.PostAsync($"/api/admin/withdrawals/{id}/approve", null)).StatusCode));

        Assert.Equal(1, statuses.Count(st => st == HttpStatusCode.OK));
        Assert.Equal(9, statuses.Count(st => st == HttpStatusCode.Conflict));
        Assert.Equal(payoutsBefore + 500_000 - Money.WithdrawalFee(500_000, new RevenueOptions().WithdrawalFee),
            await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ExternalPayouts));
        await app.AssertLedgerConsistentAsync();
    }
}
