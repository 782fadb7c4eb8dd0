using System.Net;
using SuperApp.Tests.Infrastructure;
using StackExchange.Redis;

namespace SuperApp.Tests.RateLimiting;

/// <summary>The service on a Redis of its own, which the test stops and starts again.</summary>
public sealed class OwnRedisApp : AppFixture
{
    public OwnRedisApp() : base(Postgres.Provider)
    {
        Settings["RATE_LIMIT_ENABLED"] = "true";
        Settings["REDIS_URL"] = Redis.Address;
        Settings["RateLimiting:RedisRetryAfter"] = "00:00:00.200";
    }

    public RedisServer Redis { get; } = new();

    public override async ValueTask InitializeAsync()
    {
        await Redis.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

public sealed class RedisOutageTests(OwnRedisApp app) : IClassFixture<OwnRedisApp>
{
    [Fact]
    public async Task Without_Redis_requests_are_still_served_and_still_limited_then_shared_again_when_it_returns()
    {
        var before = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await before.Client.GetAsync("/api/wallet/balance")).StatusCode);

        await app.Redis.StopAsync();
        var during = await app.RegisterAsync();
        app.Clock.AdvanceToNextWindow(RateLimitSettings.Window);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            statuses.Add((await during.Client.GetAsync("/api/wallet/balance")).StatusCode);
        }

        Assert.DoesNotContain(statuses, s => (int)s >= 500);
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var health = await (await app.CreateClient().GetAsync("/api/health")).JsonAsync();
        Assert.Equal("degraded", health.GetProperty("status").GetString());

        await app.Redis.StartAsync();
        var after = await app.RegisterAsync();
        await using var probe = await ConnectionMultiplexer.ConnectAsync(app.Redis.Address);
        var server = probe.GetServer(app.Redis.Address);
        // Bounded wait for the service's connection to come back; then its counters live in Redis again.
        var shared = false;
        for (var i = 0; i < 100 && !shared; i++)
        {
            Assert.NotEqual(HttpStatusCode.InternalServerError, (await after.Client.GetAsync("/api/wallet/balance")).StatusCode);
            shared = server.Keys(pattern: $"superapp:rl:user:{after.UserId}:*").Any();
            if (!shared)
            {
                await Task.Delay(200);
            }
        }

        Assert.True(shared, "rate-limit counters did not move back to Redis");
    }
}
