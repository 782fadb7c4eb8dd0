using System.Net;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

/// <summary>Real concurrent clients and job runs on PostgreSQL, judged by the ledger invariants afterwards.</summary>
public sealed class SubscriptionConcurrencyTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    [Fact]
    public async Task Fifty_users_each_subscribing_four_times_at_once_get_one_subscription_each()
    {
        var creator = await app.CreatorAsync(("monthly", 10_000));
        var fans = await app.CreateFundedUsersAsync(50, 100_000);
        var platformBefore = await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue);

        var answers = await Task.WhenAll(fans.SelectMany(f => Enumerable.Repeat(f, 4)).Select(f => f.SubscribeAsync(creator.UserId)));

        Assert.Equal(50, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_SUBSCRIBED");
        }
        var ids = fans.Select(f => f.UserId).ToList();
        Assert.Equal(50, await app.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.CreatorId == creator.UserId
            && ids.Contains(s.SubscriberId))));
        Assert.All(await Task.WhenAll(fans.Select(f => app.BalanceAsync(f.UserId))), b => Assert.Equal(90_000, b));
        Assert.Equal(50 * 8_000, await app.BalanceAsync(creator.UserId, AccountKind.EarningsPending));
        Assert.Equal(platformBefore + 50 * 2_000, await app.BalanceAsync(SystemAccounts.Owner, AccountKind.PlatformRevenue));
        await app.AssertLedgerConsistentAsync();
    }
}

/// <summary>The jobs on two instances sharing one database, each run twice at once.</summary>
public sealed class SubscriptionJobRaceTests(TwoInstances<Defaults> apps) : IClassFixture<TwoInstances<Defaults>>
{
    [Fact]
    public async Task Renewal_and_expiry_runs_racing_on_two_instances_charge_and_end_each_subscription_once()
    {
        var (a, b) = (apps.A, apps.B);
        var creator = await a.CreatorAsync(("monthly", 10_000));
        var fans = await a.CreateFundedUsersAsync(40, 25_000);
        var subscribed = await Task.WhenAll(fans.Select(f => f.SubscribedAsync(creator.UserId)));
        var ids = subscribed.Select(s => s.Id()).ToList();
        foreach (var (fan, id) in fans.Zip(ids).Take(10))
        {
            Assert.Equal(HttpStatusCode.OK, (await fan.Client.PostAsync($"/api/subscription/{id}/cancel", null)).StatusCode);
        }

        // From the rows, not the answers: the database keeps microseconds, and the renewed expiry is computed from it.
        var at = (await Task.WhenAll(ids.Select(a.SubscriptionAsync))).Max(s => s.ExpiresAt).AddMinutes(1);
        var renewals = await Task.WhenAll(a.RenewDueAsync(at), b.RenewDueAsync(at), a.RenewDueAsync(at), b.RenewDueAsync(at));
        var expiries = await Task.WhenAll(a.ExpireLapsedAsync(at), b.ExpireLapsedAsync(at));

        Assert.Equal(30, renewals.Sum(r => r.Renewed));
        Assert.Equal(0, renewals.Sum(r => r.Expired));
        Assert.Equal(10, expiries.Sum());
        var charges = await Task.WhenAll(ids.Select(a.ChargesAsync));
        Assert.Equal(Enumerable.Repeat(1, 10).Concat(Enumerable.Repeat(2, 30)), charges);
        var balances = await Task.WhenAll(fans.Select(f => a.BalanceAsync(f.UserId)));
        Assert.Equal(Enumerable.Repeat(15_000L, 10).Concat(Enumerable.Repeat(5_000L, 30)), balances);
        var rows = await Task.WhenAll(ids.Select(a.SubscriptionAsync));
        Assert.All(rows.Take(10), r => Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.Lapsed), (r.Status, r.EndReason)));
        Assert.All(rows.Skip(10), r => Assert.Equal((SubscriptionStatus.Active, at.AddDays(30)), (r.Status, r.ExpiresAt)));
        await a.AssertLedgerConsistentAsync();
    }
}
