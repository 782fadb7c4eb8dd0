using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

/// <summary>Admins resolving the same held top-up at once, and duplicate webhooks racing, on PostgreSQL's row locks.</summary>
public sealed class HeldTopupConcurrencyTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    [Fact]
    public async Task Two_admins_resolving_the_same_held_topup_at_once_resolve_it_once()
    {
        var admins = new[] { await app.AdminAsync(), await app.AdminAsync() };
        var s = await app.RegisterAsync();
        var sandbox = app.Services.GetRequiredService<SandboxPaymentProvider>();

        // Every pairing: release/release, refund/refund, release/refund, refund/release.
        string[][] rounds = [["release", "release"], ["refund", "refund"], ["release", "refund"], ["refund", "release"]];
        long credited = 0;
        foreach (var round in rounds)
        {
            var id = await HeldTopupAsync(admins[0], s, 20_000);
            var answers = await Task.WhenAll(round.Select((action, i) =>
                admins[i].Client.PostAsJsonAsync($"/api/admin/topups/{id}/{action}", new { reason = $"{action} by admin {i}" })));

            var tally = string.Join(" ", answers.Select(a => (int)a.StatusCode).Order());
            Assert.Equal("200 409", tally);
            var loser = answers.Single(a => (int)a.StatusCode == 409);
            await loser.ShouldBeProblemAsync(HttpStatusCode.Conflict, "TOPUP_NOT_HELD");

            var winner = round[Array.FindIndex(answers, a => a.IsSuccessStatusCode)];
            var status = await app.WithDbAsync(db => db.Topups.Where(t => t.Id == id).Select(t => t.Status).SingleAsync());
            Assert.Equal(winner == "release" ? TopupStatus.Succeeded : TopupStatus.Refunded, status);
            Assert.Equal(winner == "refund", sandbox.Refunds.ContainsKey(id));
            credited += winner == "release" ? 20_000 : 0;
            var postings = await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Reference!.StartsWith($"topup:{id}:")));
            Assert.Equal(1, postings);
            Assert.Equal(credited, await app.BalanceAsync(s.UserId));
            await app.AssertLedgerConsistentAsync();
        }
    }

    [Fact]
    public async Task Duplicate_paid_webhooks_for_a_frozen_wallet_hold_the_money_once()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var (id, reference) = await app.CreateTopupAsync(s, 35_000);
        await admin.FreezeAsync(s.UserId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.SendWebhookAsync(reference, "paid", 35_000)));
        Assert.All(answers, a => Assert.True(a.IsSuccessStatusCode, $"unexpected {a.StatusCode}"));
        Assert.All(await Task.WhenAll(answers.Select(a => a.JsonAsync())), b => Assert.Equal("held", b.GetProperty("status").GetString()));
        Assert.Equal(1, await app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Reference == $"topup:{id}")));
        await app.AssertLedgerConsistentAsync();
    }

    /// <summary>A top-up paid while its wallet is frozen (held), with the wallet unfrozen again so a release can win.</summary>
    private async Task<Guid> HeldTopupAsync(Session admin, Session s, long amount)
    {
        var (id, reference) = await app.CreateTopupAsync(s, amount);
        await admin.FreezeAsync(s.UserId);
        Assert.Equal("held", await app.WebhookStatusAsync(reference, "paid", amount));
        await admin.UnfreezeAsync(s.UserId);
        return id;
    }
}
