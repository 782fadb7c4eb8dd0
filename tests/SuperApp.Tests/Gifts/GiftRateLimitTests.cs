using System.Net;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.RateLimiting;

namespace SuperApp.Tests.Gifts;

public sealed class GiftRateLimitTests(App<Postgres, RateLimitSettings> app) : IClassFixture<App<Postgres, RateLimitSettings>>
{
    [Fact]
    public async Task Gift_routes_count_against_the_users_tier_limit()
    {
        var s = await app.RegisterAsync();
        // Requests until the first refusal: if the minute turns meanwhile, the count restarts with
        // the new window, so what is checked is the refused request's own window.
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 25 && (responses.Count == 0 || responses[^1].StatusCode != HttpStatusCode.TooManyRequests); i++)
        {
            responses.Add(await s.Client.GetAsync(i % 2 == 0 ? "/api/gift/types" : "/api/gift/leaderboard"));
        }

        var refused = responses[^1];
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.All(responses, r => Assert.Equal("10", Header(r, "X-RateLimit-Limit")));
        var window = Header(refused, "X-RateLimit-Reset");
        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK && Header(r, "X-RateLimit-Reset") == window));
    }

    private static string Header(HttpResponseMessage r, string name) => r.Headers.GetValues(name).Single();
}
