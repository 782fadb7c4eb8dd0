using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Features.Users;
using SuperApp.Platform.Audit;
using SuperApp.Platform.Errors;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

/// <summary>The spend guard as unlocks meet it: daily spend by tier, frozen and suspended accounts, audited.</summary>
public abstract class FraudGuardTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Daily_spend_is_limited_by_tier()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync();
        var free = await app.RegisterAsync();
        var premium = await app.RegisterAsync();
        await app.FundAsync(free, 6_000_000);
        await app.FundAsync(premium, 10_000_001);
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Client.PatchAsJsonAsync($"/api/admin/users/{premium.UserId}", new { tier = "premium" })).StatusCode);
        premium = await app.LoginAsync(premium);
        var big = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000_001));
        var first = await creator.CreateContentAsync(PremiumApi.Draft(price: 6_000_000));
        var second = await creator.CreateContentAsync(PremiumApi.Draft(price: 4_000_001));

        await free.UnlockAsync(big).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        Assert.Equal(HttpStatusCode.Created, (await free.UnlockAsync(first)).StatusCode);
        await free.UnlockAsync(second).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "DAILY_LIMIT_EXCEEDED");
        Assert.Equal(HttpStatusCode.Created, (await premium.UnlockAsync(big)).StatusCode);
        Assert.Equal(0, await app.BalanceAsync(premium.UserId));
        var audit = await (await admin.Client.GetAsync($"/api/admin/audit?actorId={free.UserId}&limit=100")).JsonAsync();
        Assert.Equal(2, audit.GetProperty("items").EnumerateArray()
            .Count(a => a.GetProperty("action").GetString() == "fraud.daily_limit_exceeded"));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Frozen_and_suspended_accounts_cannot_unlock()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 50_000);
        var id = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));

        await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{buyer.UserId}/freeze", new { reason = "card testing pattern" });
        var requestId = "frozen-" + Guid.NewGuid().ToString("N")[..8];
        var frozen = await buyer.Client.SendAsync(PremiumApi.Unlock(id, Guid.NewGuid().ToString(), requestId));
        await frozen.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        var audit = await (await admin.Client.GetAsync($"/api/admin/audit?requestId={requestId}")).JsonAsync();
        Assert.Equal("fraud.wallet_frozen", Assert.Single(audit.GetProperty("items").EnumerateArray()).GetProperty("action").GetString());
        await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{buyer.UserId}/unfreeze", new { reason = "cleared" });

        await admin.Client.PatchAsJsonAsync($"/api/admin/users/{buyer.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.UnlockAsync(id)).StatusCode);
        // The guard itself refuses a suspended account too, whatever the request pipeline let through.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var guard = scope.ServiceProvider.GetRequiredService<SpendGuard>();
        var ledger = scope.ServiceProvider.GetRequiredService<LedgerPoster>();
        var e = await Assert.ThrowsAsync<ApiException>(() => db.RunAsync(async ct =>
        {
            var audit = new AuditContext(buyer.UserId, "direct", null);
            var batch = guard.AddTo(new LedgerBatch(), buyer.UserId, "free", TransactionKind.Unlock, 10_000, seller: null, audit);
            var posting = PostingRequest.Move(TransactionKind.Unlock, AccountRef.Wallet(buyer.UserId), AccountRef.Wallet(creator.UserId),
                10_000);
            return await ledger.PostAsync(posting, audit, ct, batch);
        }, CancellationToken.None));
        Assert.Equal((403, "ACCOUNT_SUSPENDED"), (e.Status, e.Code));
        Assert.Equal(UserStatus.Suspended, await db.Users.Where(u => u.Id == buyer.UserId).Select(u => u.Status).SingleAsync());
        Assert.Equal(50_000, await app.BalanceAsync(buyer.UserId));
    }

}

public sealed class FraudGuardTestsOnPostgres(App<Postgres, PremiumSettings> app) : FraudGuardTests<App<Postgres, PremiumSettings>>(app);

public sealed class FraudGuardTestsOnSqlite(App<Sqlite, PremiumSettings> app) : FraudGuardTests<App<Sqlite, PremiumSettings>>(app);
