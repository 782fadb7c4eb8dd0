using System.Net;
using System.Text.Json;
using SuperApp.Features.Subscriptions;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Subscriptions;

/// <summary>
/// A manual clock moved across expiry, with the hosted jobs off so the test decides when they run. Each
/// class has one test and a fixture (and clock) of its own.
/// </summary>
public abstract class ExpiryClockTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private TestClock Clock => app.Clock;

    private DateTime Now => Clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task Access_ends_at_expiry_before_any_job_runs_then_the_jobs_renew_or_end_each_subscription()
    {
        var creator = await app.CreatorAsync(("monthly", 10_000));
        var (renewing, cancelling, broke) = (await app.RegisterAsync(), await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(renewing, 20_000);
        await app.FundAsync(cancelling, 10_000);
        await app.FundAsync(broke, 10_000);
        var renewed = (await renewing.SubscribedAsync(creator.UserId)).Id();
        var cancelled = (await cancelling.SubscribedAsync(creator.UserId)).Id();
        await broke.SubscribedAsync(creator.UserId);
        Assert.Equal(HttpStatusCode.OK, (await cancelling.Client.PostAsync($"/api/subscription/{cancelled}/cancel", null)).StatusCode);

        Clock.Advance(TimeSpan.FromDays(30));
        // A month on, the fans' access tokens have long expired: they sign in again.
        (renewing, cancelling, broke) = (await app.LoginAsync(renewing), await app.LoginAsync(cancelling), await app.LoginAsync(broke));
        foreach (var fan in new[] { renewing, cancelling, broke })
        {
            Assert.False(await SubscribedAsync(fan, creator.UserId)); // status still says active or cancelled; the clock decides
        }

        var mine = (await (await renewing.Client.GetAsync("/api/subscription/mine")).JsonAsync()).GetProperty("items")[0];
        Assert.Equal(("active", false), (mine.GetProperty("status").GetString(), mine.GetProperty("hasAccess").GetBoolean()));

        await app.RenewDueAsync(Now);
        await app.ExpireLapsedAsync(Now);

        Assert.True(await SubscribedAsync(renewing, creator.UserId));
        var check = await (await renewing.Client.GetAsync($"/api/subscription/check/{creator.UserId}")).JsonAsync();
        Assert.Equal(Now.AddDays(30), check.GetProperty("subscription").ExpiresAt());
        Assert.Equal(("expired", "insufficient_funds"), await StatusAsync(broke));
        Assert.Equal(("expired", "lapsed"), await StatusAsync(cancelling));
        await app.RenewDueAsync(Now);
        await app.ExpireLapsedAsync(Now);
        Assert.Equal(2, await app.ChargesAsync(renewed));
        await app.AssertLedgerConsistentAsync();
    }

    private static async Task<bool> SubscribedAsync(Session fan, Guid creatorId) =>
        (await (await fan.Client.GetAsync($"/api/subscription/check/{creatorId}")).JsonAsync()).GetProperty("subscribed").GetBoolean();

    private static async Task<(string?, string?)> StatusAsync(Session fan)
    {
        var item = (await (await fan.Client.GetAsync("/api/subscription/mine")).JsonAsync()).GetProperty("items")[0];
        return (item.GetProperty("status").GetString(), item.GetProperty("endReason")
            .ValueKind == JsonValueKind.Null ? null : item.GetProperty("endReason").GetString());
    }
}

public abstract class LapseClockTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private TestClock Clock => app.Clock;

    private DateTime Now => Clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task A_lapsed_subscription_no_job_has_ended_neither_blocks_a_new_one_nor_sells_past_time()
    {
        var creator = await app.CreatorAsync(("monthly", 10_000));
        var (returning, renewing) = (await app.RegisterAsync(), await app.RegisterAsync());
        await app.FundAsync(returning, 20_000);
        await app.FundAsync(renewing, 20_000);
        var old = (await returning.SubscribedAsync(creator.UserId)).Id();
        var id = (await renewing.SubscribedAsync(creator.UserId)).Id();

        Clock.Advance(TimeSpan.FromDays(45));
        (returning, renewing) = (await app.LoginAsync(returning), await app.LoginAsync(renewing)); // their tokens have expired
        var again = await returning.SubscribedAsync(creator.UserId);
        Assert.NotEqual(old, again.Id());
        Assert.Equal(Now.AddDays(30), again.ExpiresAt());
        var ended = await app.SubscriptionAsync(old);
        Assert.Equal((SubscriptionStatus.Expired, SubscriptionEndReason.Lapsed), (ended.Status, ended.EndReason));

        var renewed = await (await renewing.Client.PostAsync($"/api/subscription/{id}/renew", null)).JsonAsync();
        Assert.Equal(Now.AddDays(30), renewed.GetProperty("subscription").ExpiresAt());
        Assert.Equal(0, await app.BalanceAsync(renewing.UserId)); // two periods paid: subscribe and renew
        await app.AssertLedgerConsistentAsync();
    }
}

/// <summary>A manual clock (times compare exactly), and the hosted jobs off.</summary>
public sealed class ManualClockSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Clock = TestClock.Manual();
        app.Settings["Subscriptions:JobsEnabled"] = "false";
    }
}

public sealed class ExpiryClockTestsOnPostgres(App<Postgres, ManualClockSettings> app)
    : ExpiryClockTests<App<Postgres, ManualClockSettings>>(app);

public sealed class ExpiryClockTestsOnSqlite(App<Sqlite, ManualClockSettings> app)
    : ExpiryClockTests<App<Sqlite, ManualClockSettings>>(app);

public sealed class LapseClockTestsOnPostgres(App<Postgres, ManualClockSettings> app)
    : LapseClockTests<App<Postgres, ManualClockSettings>>(app);

public sealed class LapseClockTestsOnSqlite(App<Sqlite, ManualClockSettings> app) : LapseClockTests<App<Sqlite, ManualClockSettings>>(app);
