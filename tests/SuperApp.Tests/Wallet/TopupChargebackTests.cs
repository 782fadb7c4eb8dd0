using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

/// <summary>The provider takes a paid top-up back: the wallet pays what it can, chargeback_losses the rest.</summary>
public abstract class TopupChargebackTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_chargeback_covered_by_the_wallet_debits_it_once()
    {
        var s = await app.RegisterAsync();
        var (id, reference) = await PaidTopupAsync(s, 100_000);
        var losses = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses);

        for (var i = 0; i < 2; i++)
        {
            var webhook = await app.SendWebhookAsync(reference, "chargeback", 100_000);
            Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
            Assert.Equal("charged_back", (await webhook.JsonAsync()).GetProperty("status").GetString());
        }

        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.Equal(losses, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses));
        var tx = await app.WithDbAsync(db => db.LedgerTransactions.SingleAsync(t => t.Reference == $"topup:{id}:chargeback"));
        Assert.Equal(TransactionKind.Chargeback, tx.Kind);
        Assert.Equal(100_000, tx.Amount);
        var view = await (await s.Client.GetAsync($"/api/wallet/topups/{id}")).JsonAsync();
        Assert.Equal("charged_back", view.GetProperty("status").GetString());
        // A "paid" repeated after the chargeback credits nothing.
        Assert.Equal("charged_back", await app.WebhookStatusAsync(reference, "paid", 100_000));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_chargeback_the_wallet_cannot_cover_books_the_rest_as_a_loss()
    {
        var s = await app.RegisterAsync();
        var payee = await app.RegisterAsync();
        var (id, reference) = await PaidTopupAsync(s, 100_000);
        Assert.Equal(HttpStatusCode.Created,
            (await s.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = payee.UserId, amount = 70_000 })).StatusCode);
        var losses = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses);

        var webhook = await app.SendWebhookAsync(reference, "chargeback", 100_000);
        Assert.Equal("charged_back", (await webhook.JsonAsync()).GetProperty("status").GetString());

        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.Equal(losses - 70_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses));
        Assert.Equal(70_000, await app.BalanceAsync(payee.UserId));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Reference == $"topup:{id}:chargeback")));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_chargeback_reaches_a_frozen_wallet_and_an_empty_one()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (first, firstRef) = await PaidTopupAsync(s, 60_000);
        var (_, secondRef) = await PaidTopupAsync(s, 30_000);
        await admin.FreezeAsync(s.UserId);
        var losses = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses);

        Assert.Equal("charged_back", await app.WebhookStatusAsync(firstRef, "chargeback", 60_000));
        Assert.Equal(30_000, await app.BalanceAsync(s.UserId));
        Assert.Equal(losses, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses));

        // The second takes what is left; after that, a third finds the wallet empty and the loss account pays.
        Assert.Equal("charged_back", await app.WebhookStatusAsync(secondRef, "chargeback", 30_000));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.Equal("frozen", (await (await s.Client.GetAsync("/api/wallet/balance")).JsonAsync()).GetProperty("status").GetString());

        await admin.UnfreezeAsync(s.UserId);
        var (_, thirdRef) = await PaidTopupAsync(s, 40_000);
        Assert.Equal(HttpStatusCode.Created,
            (await s.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = admin.UserId, amount = 40_000 })).StatusCode);
        await admin.FreezeAsync(s.UserId);
        Assert.Equal("charged_back", await app.WebhookStatusAsync(thirdRef, "chargeback", 40_000));
        Assert.Equal(losses - 40_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.True(await app.WithDbAsync(db => db.Topups.AnyAsync(t => t.Id == first && t.Status == TopupStatus.ChargedBack)));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_chargeback_of_a_held_topup_comes_out_of_suspense()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 50_000);
        await admin.FreezeAsync(s.UserId);
        Assert.Equal("held", await app.WebhookStatusAsync(reference, "paid", 50_000));
        var losses = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses);

        Assert.Equal("charged_back", await app.WebhookStatusAsync(reference, "chargeback", 50_000));
        Assert.Equal(losses, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.ChargebackLosses));
        await admin.ResolveTopupAsync(id, "refund", "too late").ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_chargeback_for_an_unpaid_or_refunded_topup_moves_nothing()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (pending, pendingRef) = await app.CreateTopupAsync(s, 20_000);
        Assert.Equal("pending", await app.WebhookStatusAsync(pendingRef, "chargeback", 20_000));

        var (refunded, refundedRef) = await app.CreateTopupAsync(s, 25_000);
        await admin.FreezeAsync(s.UserId);
        await app.SendWebhookAsync(refundedRef, "paid", 25_000);
        Assert.Equal(HttpStatusCode.OK, (await admin.ResolveTopupAsync(refunded, "refund", "fraud")).StatusCode);
        Assert.Equal("refunded", await app.WebhookStatusAsync(refundedRef, "chargeback", 25_000));

        Assert.False(await app.WithDbAsync(db => db.LedgerTransactions.AnyAsync(t =>
            t.Reference == $"topup:{pending}:chargeback" || t.Reference == $"topup:{refunded}:chargeback")));
        await app.AssertLedgerConsistentAsync();
    }

    private async Task<(Guid Id, string Reference)> PaidTopupAsync(Session s, long amount)
    {
        var (id, reference) = await app.CreateTopupAsync(s, amount);
        Assert.Equal("succeeded", await app.WebhookStatusAsync(reference, "paid", amount));
        return (id, reference);
    }

}

public sealed class TopupChargebackTestsOnPostgres(App<Postgres, Defaults> app) : TopupChargebackTests<App<Postgres, Defaults>>(app);

public sealed class TopupChargebackTestsOnSqlite(App<Sqlite, Defaults> app) : TopupChargebackTests<App<Sqlite, Defaults>>(app);
