using System.Net;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.RateLimiting;

namespace SuperApp.Tests.Premium;

public sealed class PremiumRateLimitTests(App<Postgres, RateLimitSettings> app) : IClassFixture<App<Postgres, RateLimitSettings>>
{
    [Fact]
    public async Task Premium_routes_count_against_the_users_tier_limit()
    {
        var s = await app.RegisterAsync();
        for (var i = 0; i < 5; i++)
        {
            var browse = await s.Client.GetAsync("/api/premium/browse");
            Assert.Equal(HttpStatusCode.OK, browse.StatusCode);
            Assert.Equal("10", browse.Headers.GetValues("X-RateLimit-Limit").Single());
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await s.UnlockAsync(Guid.NewGuid())).StatusCode);
        }

        var refused = await s.Client.GetAsync($"/api/premium/{Guid.NewGuid()}");
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.True(refused.Headers.Contains("Retry-After"));
    }
}
