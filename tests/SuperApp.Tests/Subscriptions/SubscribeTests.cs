using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

public abstract class SubscribeTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Subscribing_charges_the_plan_price_split_between_creator_and_platform()
    {
        var creator = await app.CreatorAsync(("monthly", 25_001));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 100_000);
        var platformBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue);

        // A client-supplied price is ignored: the plan's price is charged.
        var response = await fan.Client.PostAsJsonAsync("/api/subscription/subscribe",
            new { creatorId = creator.UserId, plan = "monthly", price = 1, amount = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(25_001, body.GetProperty("amount").GetInt64());
        Assert.Equal(74_999, body.GetProperty("balance").GetInt64());
        Assert.Equal("IDR", body.GetProperty("currency").GetString());
        var sub = body.GetProperty("subscription");
        Assert.Equal(("active", true, true, "monthly", 25_001L),
            (sub.GetProperty("status").GetString(), sub.GetProperty("autoRenew").GetBoolean(),
            sub.GetProperty("hasAccess").GetBoolean(), sub.GetProperty("plan").GetString(), sub.GetProperty("price").GetInt64()));
        Assert.Equal(creator.Username, sub.GetProperty("creator").GetProperty("username").GetString());

        // floor(25,001 × 20%) = 5,000 to the platform; the creator gets the remainder, into pending earnings.
        Assert.Equal(74_999, await app.BalanceAsync(fan.UserId));
        Assert.Equal(20_001, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(platformBefore + 5_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue));
        var row = await app.SubscriptionAsync(sub.Id());
        Assert.Equal(TimeSpan.FromDays(30), row.ExpiresAt - row.StartedAt);
        var tx = await app.WithDbAsync(db => db.LedgerTransactions.Include(t => t.Entries).SingleAsync(t => t.Id == row.LastTransactionId));
        Assert.Equal((TransactionKind.Subscription, 25_001L, 3), (tx.Kind, tx.Amount, tx.Entries.Count));
        Assert.Equal(body.GetProperty("transactionId").GetGuid(), tx.Id);
        await app.AssertLedgerConsistentAsync();
    }

    [Theory]
    [InlineData("quarterly", 90)]
    [InlineData("yearly", 365)]
    public async Task Longer_plans_last_their_length(string plan, int days)
    {
        var creator = await app.CreatorAsync((plan, 40_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 40_000);
        var row = await app.SubscriptionAsync((await fan.SubscribedAsync(creator.UserId, plan)).Id());
        Assert.Equal(TimeSpan.FromDays(days), row.ExpiresAt - row.StartedAt);
        Assert.Equal(0, await app.BalanceAsync(fan.UserId));
    }

    [Fact]
    public async Task Subscribe_errors_move_no_money()
    {
        var creator = await app.CreatorAsync(("monthly", 30_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 40_000);
        var stranger = await app.RegisterAsync();

        await fan.SubscribeAsync(creator.UserId, "weekly").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await fan.Client.PostAsJsonAsync("/api/subscription/subscribe", new { plan = "monthly" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await fan.SubscribeAsync(Guid.NewGuid()).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CREATOR_NOT_FOUND");
        await fan.SubscribeAsync(stranger.UserId).ShouldBeProblemAsync(HttpStatusCode.NotFound, "CREATOR_NOT_FOUND");
        await fan.SubscribeAsync(creator.UserId, "yearly").ShouldBeProblemAsync(HttpStatusCode.NotFound, "PLAN_NOT_FOUND");
        await creator.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "SELF_SUBSCRIPTION");
        await stranger.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS");

        var noKey = app.CreateClient();
        noKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fan.AccessToken);
        await noKey.PostAsJsonAsync("/api/subscription/subscribe", new { creatorId = creator.UserId, plan = "monthly" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "IDEMPOTENCY_KEY_REQUIRED");
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.CreateClient().PostAsJsonAsync("/api/subscription/subscribe",
                new { creatorId = creator.UserId, plan = "monthly" })).StatusCode);

        Assert.Equal(40_000, await app.BalanceAsync(fan.UserId));
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.CreatorId == creator.UserId)));

        await fan.SubscribedAsync(creator.UserId);
        await fan.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_SUBSCRIBED");
        Assert.Equal(10_000, await app.BalanceAsync(fan.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_frozen_wallet_cannot_subscribe_and_the_refusal_is_audited()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync(("monthly", 10_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 50_000);
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Client.PostAsJsonAsync($"/api/admin/wallets/{fan.UserId}/freeze", new { reason = "chargeback" })).StatusCode);

        await fan.SubscribeAsync(creator.UserId).ShouldBeProblemAsync(HttpStatusCode.Forbidden, "WALLET_FROZEN");
        Assert.Equal(50_000, await app.BalanceAsync(fan.UserId));
        Assert.Equal(0, await app.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.SubscriberId == fan.UserId)));
        Assert.True(await app.WithDbAsync(db => db.AuditLogs.AnyAsync(l => l.Action == "fraud.wallet_frozen"
            && l.EntityId == fan.UserId.ToString())));
    }

    [Fact]
    public async Task A_repeated_idempotency_key_replays_the_subscription_without_charging_again()
    {
        var creator = await app.CreatorAsync(("monthly", 10_000));
        var fan = await app.RegisterAsync();
        await app.FundAsync(fan, 50_000);

        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post,
                "/api/subscription/subscribe") { Content = JsonContent.Create(new { creatorId = creator.UserId, plan = "monthly" }) };
            request.Headers.Add("Idempotency-Key", "subscribe-once");
            return request;
        }

        var first = await fan.Client.SendAsync(Request());
        var second = await fan.Client.SendAsync(Request());
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, second.StatusCode));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(40_000, await app.BalanceAsync(fan.UserId));
    }

    [Fact]
    public async Task The_database_holds_one_live_subscription_per_subscriber_and_creator()
    {
        var (fan, creator, now) = (Guid.NewGuid(), Guid.NewGuid(), DateTime.UtcNow);
        Subscription Row(SubscriptionStatus status) => new()
        {
            SubscriberId = fan, CreatorId = creator, Plan = PlanKind.Monthly, Price = 1_000, Status = status,
            StartedAt = now, ExpiresAt = now.AddDays(30), UpdatedAt = now,
        };

        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.AddRange(Row(SubscriptionStatus.Expired), Row(SubscriptionStatus.Expired), Row(SubscriptionStatus.Cancelled));
            await db.SaveChangesAsync();
        });
        var second = await Assert.ThrowsAsync<DbUpdateException>(() => app.WithDbAsync(async db =>
        {
            db.Subscriptions.Add(Row(SubscriptionStatus.Active));
            await db.SaveChangesAsync();
        }));
        Assert.True(UniqueViolation.On(second, "subscriptions"));
    }
}

public sealed class SubscribeTestsOnPostgres(App<Postgres, Defaults> app) : SubscribeTests<App<Postgres, Defaults>>(app);

public sealed class SubscribeTestsOnSqlite(App<Sqlite, Defaults> app) : SubscribeTests<App<Sqlite, Defaults>>(app);
