using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Data;
using SuperApp.Features.Auth;
using SuperApp.Features.Ledger;
using SuperApp.Features.Users;
using SuperApp.Features.Wallet;
using SuperApp.Platform.Audit;

namespace SuperApp.Tests.Infrastructure;

/// <summary>Arranging money: top-ups through the signed-webhook path, bulk users, and the ledger invariants.</summary>
public static class MoneyHelpers
{
    /// <summary>Tops a wallet up the way a client does: create the top-up, then the gateway's signed webhook.</summary>
    public static async Task FundAsync(this AppFixture app, Session s, long amount)
    {
        var topup = await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount, provider = "sandbox" });
        Assert.Equal(HttpStatusCode.Created, topup.StatusCode);
        var reference = (await topup.JsonAsync()).GetProperty("reference").GetString()!;
        var webhook = await app.SendWebhookAsync(reference, "paid", amount);
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
    }

    /// <summary>Creates a sandbox top-up as its owner and returns its id and payment reference, not yet paid.</summary>
    public static async Task<(Guid Id, string Reference)> CreateTopupAsync(this AppFixture app, Session s, long amount)
    {
        var created = await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount, provider = "sandbox" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        return (body.GetProperty("topupId").GetGuid(), body.GetProperty("reference").GetString()!);
    }

    /// <summary>Sends a signed webhook that must be accepted and returns the top-up status it answers with.</summary>
    public static async Task<string?> WebhookStatusAsync(this AppFixture app, string reference, string status, long amount)
    {
        var response = await app.SendWebhookAsync(reference, status, amount);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("status").GetString();
    }

    /// <summary>An admin's release or refund of a held top-up.</summary>
    public static Task<HttpResponseMessage> ResolveTopupAsync(this Session admin, Guid topupId, string action, string reason) =>
        admin.Client.PostAsJsonAsync($"/api/admin/topups/{topupId}/{action}", new { reason });

    public static async Task FreezeAsync(this Session admin, Guid userId) =>
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{userId}/freeze", new { reason = "fraud review" })).StatusCode);

    public static async Task UnfreezeAsync(this Session admin, Guid userId) =>
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{userId}/unfreeze", new { reason = "cleared" })).StatusCode);

    public static Task<HttpResponseMessage> SendWebhookAsync(this AppFixture app, string reference, string status, long amount,
        string? signature = null)
    {
        var sandbox = app.Services.GetRequiredService<SandboxPaymentProvider>();
        var (body, signed) = sandbox.BuildWebhook(reference, status, amount);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/sandbox") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(SandboxPaymentProvider.SignatureHeader, signature ?? signed);
        return app.CreateClient().SendAsync(request);
    }

    /// <summary>
    /// Many users at once for concurrency runs: inserted directly with one shared password hash,
    /// with real access tokens from the service's own token service, each funded by a real posting.
    /// </summary>
    public static async Task<List<Session>> CreateFundedUsersAsync(this AppFixture app, int count, long fundsEach)
    {
        var tokens = app.Services.GetRequiredService<TokenService>();
        var hash = app.Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(null!, Api.Password);
        var now = DateTime.UtcNow;
        var users = Enumerable.Range(0, count).Select(_ =>
        {
            var name = "c" + Guid.NewGuid().ToString("N")[..12];
            return new User { Email = $"{name}@example.com", Username = name, PasswordHash = hash, CreatedAt = now, UpdatedAt = now };
        }).ToList();
        await app.WithDbAsync(async db =>
        {
            db.Users.AddRange(users);
            await db.SaveChangesAsync();
        });

        if (fundsEach > 0)
        {
            foreach (var u in users)
            {
                await app.PostAsync(PostingRequest.Move(TransactionKind.Topup, AccountRef.System(AccountKind.ExternalFunding),
                    AccountRef.Wallet(u.Id), fundsEach));
            }
        }

        return users.Select(u =>
        {
            var client = app.CreateUserClient();
            var token = tokens.CreateAccessToken(u);
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return new Session(client, u.Id, u.Email, u.Username, Api.Password, token, "");
        }).ToList();
    }

    public static async Task PostAsync(this AppFixture app, PostingRequest posting)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SuperApp.Data.AppDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<LedgerPoster>();
        await db.RunAsync(ct => ledger.PostAsync(posting, AuditContext.System, ct), CancellationToken.None);
    }

    /// <summary>An account's balance; a system account's is the sum of its shards.</summary>
    public static Task<long> BalanceAsync(this AppFixture app, Guid userId, AccountKind kind = AccountKind.Wallet) =>
        app.WithDbAsync(db => db.Accounts.Where(a => a.OwnerId == userId && a.Kind == kind).SumAsync(a => a.Balance));

    /// <summary>
    /// The ledger invariants (the four of the books, suspense = held top-ups, no paid top-up left
    /// unsettled), checked by the service's own verifier, plus a direct recount.
    /// </summary>
    public static async Task AssertLedgerConsistentAsync(this AppFixture app)
    {
        var report = await app.WithDbAsync(db => LedgerVerifier.VerifyAsync(db, CancellationToken.None));
        Assert.Empty(report.UnbalancedTransactions);
        Assert.Empty(report.AccountsNotMatchingEntries);
        Assert.Empty(report.NegativeWallets);
        Assert.Equal(0, report.BalanceTotal);
        Assert.Equal(report.HeldTopupsTotal, report.SuspenseBalance);
        Assert.Empty(report.PaidTopupsNotSettled);
        Assert.True(report.Ok);

        var (entrySum, balanceSum, badAfter) = await app.WithDbAsync(async db => (
            await db.LedgerEntries.SumAsync(e => e.Amount),
            await db.Accounts.SumAsync(a => a.Balance),
            await db.LedgerEntries.CountAsync(e => e.BalanceAfter < 0
                && db.Accounts.Any(a => a.Id == e.AccountId && a.Kind == AccountKind.Wallet))));
        Assert.Equal(0, entrySum);
        Assert.Equal(0, balanceSum);
        Assert.Equal(0, badAfter);
    }
}
