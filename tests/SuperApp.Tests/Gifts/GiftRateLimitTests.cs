using System.Net;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.RateLimiting;

namespace SuperApp.Tests.Gifts;

public sealed class GiftRateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task Gift_routes_count_against_the_users_tier_limit()
    {
        var s = await app.RegisterAsync();
        var responses = new List<HttpResponseMessage>();
        foreach (var path in Enumerable.Repeat("/api/gift/types", 5).Concat(Enumerable.Repeat("/api/gift/leaderboard", 6)))
        {
            responses.Add(await s.Client.GetAsync(path));
        }

        Assert.All(responses.Take(10), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => Assert.Equal("10", r.Headers.GetValues("X-RateLimit-Limit").Single()));
        Assert.Equal("RATE_LIMITED", (await responses[10].ProblemAsync()).Code);
    }
}
