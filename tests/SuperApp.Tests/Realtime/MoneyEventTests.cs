using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.Premium;
using SuperApp.Tests.Subscriptions;

namespace SuperApp.Tests.Realtime;

/// <summary>Every money event reaches the outbox of the people it concerns, committed with what it reports.</summary>
public abstract class MoneyEventTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static async Task<List<(string Type, JsonElement Data)>> EventsAsync(Session s)
    {
        var page = await (await s.Client.GetAsync("/api/realtime/events?after=0&limit=200")).JsonAsync();
        return page.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("data"))).ToList();
    }

    [Fact]
    public async Task Top_ups_withdrawal_decisions_unlocks_and_subscriptions_are_announced_to_both_sides()
    {
        var admin = await app.AdminAsync();
        var fan = await app.RegisterAsync();
        var creator = await app.CreatorAsync();
        await app.FundAsync(fan, 500_000);
        var content = await creator.CreateContentAsync(PremiumApi.Draft(price: 10_000));
        Assert.Equal(HttpStatusCode.Created, (await fan.UnlockAsync(content)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await creator.SetPlansAsync(("monthly", 20_000))).StatusCode);
        var subscribed = await fan.SubscribeAsync(creator.UserId);
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var subscriptionId = (await subscribed.JsonAsync()).GetProperty("subscription").GetProperty("subscriptionId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await fan.Client.PostAsync($"/api/subscription/{subscriptionId}/cancel", null)).StatusCode);
        var withdrawal = await fan.Client.PostAsJsonAsync("/api/wallet/withdraw",
            new { amount = 100_000, bankAccount = new { bankName = "BCA", accountNumber = "0123456789", accountName = "Fan" } });
        var withdrawalId = (await withdrawal.JsonAsync()).GetProperty("withdrawalId").GetGuid();
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Client.PostAsJsonAsync($"/api/admin/withdrawals/{withdrawalId}/reject", new { reason = "test" })).StatusCode);

        var fans = await EventsAsync(fan);
        Assert.Contains(fans, e => e.Type == "topup.succeeded" && e.Data.GetProperty("amount").GetInt64() == 500_000);
        Assert.Contains(fans, e => e.Type == "withdrawal.decided" && e.Data.GetProperty("status").GetString() == "rejected");
        Assert.Contains(fans, e => e.Type == "subscription.started" && e.Data.GetProperty("subscriptionId").GetGuid() == subscriptionId);
        Assert.Contains(fans, e => e.Type == "subscription.cancelled");
        var creators = await EventsAsync(creator);
        var unlocked = Assert.Single(creators, e => e.Type == "content.unlocked");
        Assert.Equal(content, unlocked.Data.GetProperty("contentId").GetGuid());
        Assert.Equal(fan.UserId, unlocked.Data.GetProperty("buyer").GetProperty("id").GetGuid());
        Assert.Equal(7_000, unlocked.Data.GetProperty("creatorShare").GetInt64());
        Assert.Contains(creators, e => e.Type == "subscription.started");
        Assert.Contains(creators, e => e.Type == "subscription.cancelled");
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class MoneyEventTestsOnPostgres(App<Postgres, PremiumSettings> app) : MoneyEventTests<App<Postgres, PremiumSettings>>(app);

public sealed class MoneyEventTestsOnSqlite(App<Sqlite, PremiumSettings> app) : MoneyEventTests<App<Sqlite, PremiumSettings>>(app);
