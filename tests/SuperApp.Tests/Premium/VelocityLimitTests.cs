using System.Net;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

/// <summary>
/// Velocity limits on unlocks (3 a minute, 5 an hour here), in a fixture of its own: the test moves
/// the service's clock forward past the minute.
/// </summary>
public abstract class VelocityLimitTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Unlocks_past_the_velocity_limits_are_refused_with_429_audited_and_retryable_later()
    {
        var admin = await app.AdminAsync();
        var creator = await app.CreatorAsync();
        var buyer = await app.RegisterAsync();
        await app.FundAsync(buyer, 100_000);
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await creator.CreateContentAsync(PremiumApi.Draft(price: 1_000)));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(ids[i])).StatusCode);
        }

        var requestId = "velocity-" + Guid.NewGuid().ToString("N")[..8];
        var key = Guid.NewGuid().ToString();
        var refused = await buyer.Client.SendAsync(PremiumApi.Unlock(ids[3], key, requestId));
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "VELOCITY_LIMIT_EXCEEDED");
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1,
            60);
        Assert.Equal(97_000, await app.BalanceAsync(buyer.UserId));
        var audit = await (await admin.Client.GetAsync($"/api/admin/audit?requestId={requestId}")).JsonAsync();
        var row = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal("fraud.velocity_limit_exceeded", row.GetProperty("action").GetString());
        Assert.Equal(buyer.UserId, row.GetProperty("actorId").GetGuid());

        // A minute on, the same key is free to retry (a 429 is "not now", not a stored answer).
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Created, (await buyer.Client.SendAsync(PremiumApi.Unlock(ids[3], key, requestId + "-retry")))
            .StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await buyer.UnlockAsync(ids[4])).StatusCode);
        var hourly = await buyer.UnlockAsync(ids[5]);
        await hourly.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "VELOCITY_LIMIT_EXCEEDED");
        Assert.True(int.Parse(hourly.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 60);
        Assert.Equal(95_000, await app.BalanceAsync(buyer.UserId));
        await app.AssertLedgerConsistentAsync();
    }

}

/// <summary>The premium settings with velocity limits of 3 unlocks a minute and 5 an hour.</summary>
public sealed class VelocitySettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        PremiumSettings.Configure(app);
        app.Settings["Fraud:Velocity:unlock:PerMinute"] = "3";
        app.Settings["Fraud:Velocity:unlock:PerHour"] = "5";
    }
}

public sealed class VelocityLimitTestsOnPostgres(App<Postgres, VelocitySettings> app)
    : VelocityLimitTests<App<Postgres, VelocitySettings>>(app);

public sealed class VelocityLimitTestsOnSqlite(App<Sqlite, VelocitySettings> app) : VelocityLimitTests<App<Sqlite, VelocitySettings>>(app);
