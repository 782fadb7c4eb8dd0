using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

public static class SubscriptionHelpers
{
    private static readonly string[] Benefits = ["Early access"];

    public static Task<HttpResponseMessage> SetPlansAsync(this Session creator, params (string Plan, long Price)[] plans) =>
        creator.Client.PutAsJsonAsync("/api/subscription/plans",
            new { plans = plans.Select(p => new { plan = p.Plan, price = p.Price, benefits = Benefits }) });

    public static Task<HttpResponseMessage> SubscribeAsync(this Session s, Guid creatorId, string plan = "monthly") =>
        s.Client.PostAsJsonAsync("/api/subscription/subscribe", new { creatorId, plan });

    /// <summary>Subscribes and returns the subscription part of the 201 answer.</summary>
    public static async Task<JsonElement> SubscribedAsync(this Session s, Guid creatorId, string plan = "monthly")
    {
        var response = await s.SubscribeAsync(creatorId, plan);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("subscription");
    }

    public static Task<Subscription> SubscriptionAsync(this AppFixture app, Guid id) =>
        app.WithDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == id));

    /// <summary>Ledger transactions that charged this subscription (found by their reference).</summary>
    public static Task<int> ChargesAsync(this AppFixture app, Guid subscriptionId) =>
        app.WithDbAsync(db => db.LedgerTransactions.CountAsync(t =>
            t.Kind == TransactionKind.Subscription && t.Reference != null
                && t.Reference.StartsWith("subscription:" + subscriptionId + ":")));

    /// <summary>One run of the renewal job, as the hosted service makes it, at the given time.</summary>
    public static Task<RenewalRun> RenewDueAsync(this AppFixture app, DateTime now) =>
        SubscriptionRenewals.RunOnceAsync(app.Services, now, CancellationToken.None);

    public static Task<int> ExpireLapsedAsync(this AppFixture app, DateTime now) =>
        SubscriptionExpiry.RunOnceAsync(app.Services, now, CancellationToken.None);

    public static Guid Id(this JsonElement subscription) => subscription.GetProperty("subscriptionId").GetGuid();

    public static DateTime ExpiresAt(this JsonElement subscription) => subscription.GetProperty("expiresAt").GetDateTime()
        .ToUniversalTime();
}
