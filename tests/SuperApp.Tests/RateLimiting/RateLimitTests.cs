using System.Net;
using System.Net.Http.Json;
using SuperApp.Features.Users;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.RateLimiting;

/// <summary>
/// The service with limits on, counting in the suite's real Redis under a key prefix of its own, on a manual clock: a
/// window turns only when a test moves the clock, so a count never straddles two windows however slow the machine. A
/// generous Redis timeout: on a machine busy with the rest of the suite, a slow answer would switch to local counting
/// (which RedisOutageTests covers) and make the counts here meaningless.
/// </summary>
public sealed class RateLimitSettings : ITestSettings
{
    /// <summary>The limiter's window (its default).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static void Configure(AppFixture app)
    {
        RedisSettings.Configure(app);
        app.Clock = TestClock.Manual();
        app.Settings["RATE_LIMIT_ENABLED"] = "true";
        app.Settings["RateLimiting:RedisTimeout"] = "00:00:10";
        app.Settings["RateLimiting:Disabled:0"] = "GET /api/wallet/withdrawals";
    }

    /// <summary>Moves the app's clock to the start of the next window: a test's count starts from zero there.</summary>
    public static void FreshWindow(AppFixture app) => app.Clock.AdvanceToNextWindow(Window);
}

public sealed class RateLimitTests(App<Postgres, RateLimitSettings> app) : IClassFixture<App<Postgres, RateLimitSettings>>
{
    private static async Task<List<HttpResponseMessage>> Hammer(HttpClient client, int times, string path = "/api/wallet/balance")
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < times; i++)
        {
            responses.Add(await client.GetAsync(path));
        }

        return responses;
    }

    private static int Header(HttpResponseMessage r, string name) => int.Parse(r.Headers.GetValues(name).Single(),
        System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_free_users_eleventh_request_in_a_minute_is_refused_with_the_right_headers()
    {
        RateLimitSettings.FreshWindow(app);
        var s = await app.RegisterAsync();
        var responses = await Hammer(s.Client, 11);

        Assert.All(responses.Take(10), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 9 - i), responses.Take(10).Select(r => Header(r, "X-RateLimit-Remaining")));
        Assert.All(responses, r => Assert.Equal(10, Header(r, "X-RateLimit-Limit")));

        var refused = responses[10];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal(0, Header(refused, "X-RateLimit-Remaining"));
        var reset = DateTimeOffset.FromUnixTimeSeconds(Header(refused, "X-RateLimit-Reset"));
        Assert.InRange(reset, app.Clock.GetUtcNow().AddSeconds(-1), app.Clock.GetUtcNow().AddSeconds(61));
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
    }

    [Theory]
    [InlineData(Tier.Premium, 100)]
    [InlineData(Tier.Creator, 500)]
    public async Task Premium_and_creator_users_get_their_tier_limits(Tier tier, int limit)
    {
        var s = await app.RegisterAsync();
        s = tier == Tier.Creator ? await app.WithRoleAsync(s, Role.Creator) : await PremiumAsync(s);
        RateLimitSettings.FreshWindow(app);
        var responses = new List<HttpResponseMessage>();
        while (responses.Count < 3 * limit && (responses.Count == 0 || responses[^1].StatusCode != HttpStatusCode.TooManyRequests))
        {
            responses.Add(await s.Client.GetAsync("/api/wallet/balance"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, responses[^1].StatusCode);
        var window = Header(responses[^1], "X-RateLimit-Reset");
        Assert.Equal(limit, responses.Count(r => r.StatusCode == HttpStatusCode.OK && Header(r, "X-RateLimit-Reset") == window));
        Assert.Equal(limit, Header(responses[0], "X-RateLimit-Limit"));
    }

    [Fact]
    public async Task Admins_are_never_limited()
    {
        var admin = await app.AdminAsync();
        Assert.All(await Hammer(admin.Client, 600), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task A_route_switched_off_in_configuration_is_not_limited_while_its_group_still_is()
    {
        RateLimitSettings.FreshWindow(app);
        var s = await app.RegisterAsync();
        var off = await Hammer(s.Client, 15, "/api/wallet/withdrawals");
        Assert.All(off, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(off, r => Assert.False(r.Headers.Contains("X-RateLimit-Limit")));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Hammer(s.Client, 11))[^1].StatusCode);
    }

    [Fact]
    public async Task A_limited_money_request_does_not_claim_its_idempotency_key()
    {
        RateLimitSettings.FreshWindow(app);
        var s = await app.RegisterAsync();
        await Hammer(s.Client, 10);
        var request = new HttpRequestMessage(HttpMethod.Post,
            "/api/wallet/topup") { Content = JsonContent.Create(new { amount = 20_000, provider = "sandbox" }) };
        request.Headers.Add("Idempotency-Key", "limited-key");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await s.Client.SendAsync(request)).StatusCode);
        Assert.False(await app.WithDbAsync(db =>
            Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.IdempotencyRecords, r => r.Key == "limited-key")));
    }

    [Fact]
    public async Task Logins_are_limited_per_target_account_and_a_spoofed_forwarded_for_does_not_help()
    {
        RateLimitSettings.FreshWindow(app);
        var s = await app.RegisterAsync();
        var anon = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post,
                "/api/auth/login") { Content = JsonContent.Create(new { login = s.Username, password = s.Password }) };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            statuses.Add((await anon.SendAsync(request)).StatusCode);
        }

        Assert.Equal(10, statuses.Count(st => st == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    private async Task<Session> PremiumAsync(Session s)
    {
        var admin = await app.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchAsJsonAsync($"/api/admin/users/{s.UserId}", new { tier = "premium" }))
            .StatusCode);
        return await app.LoginAsync(s);
    }
}

public sealed class RateLimitAcrossInstancesTests(TwoInstances<RateLimitSettings> apps) : IClassFixture<TwoInstances<RateLimitSettings>>
{
    [Fact]
    public async Task The_limit_holds_across_instances()
    {
        // Each instance has a clock of its own; both move to the same window, as NTP-synchronised servers' are.
        var window = apps.B.Clock.AdvanceToNextWindow(RateLimitSettings.Window);
        apps.A.Clock.AdvanceTo(window);
        var s = await apps.A.RegisterAsync();
        var onB = apps.B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = s.Client.DefaultRequestHeaders.Authorization;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add((await (i % 2 == 0 ? s.Client : onB).GetAsync("/api/wallet/balance")).StatusCode);
        }

        Assert.Equal(10, statuses.Count(st => st == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}
