using System.Net;
using Microsoft.Extensions.Options;
using SuperApp.Tests.Infrastructure;
using SuperApp.Tests.RateLimiting;

namespace SuperApp.Tests.Subscriptions;

public sealed class SubscriptionSettingsTests
{
    [Theory]
    [InlineData("Subscriptions:JobInterval", "00:00:00")]
    [InlineData("Subscriptions:RenewalBatchSize", "0")]
    public async Task Start_up_refuses_invalid_job_settings(string key, string value)
    {
        await using var app = new App<Sqlite, Defaults> { Settings = { [key] = value } };
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () => await app.InitializeAsync());
        Assert.Contains("Subscriptions:", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>The subscription routes count against the caller's tier limit like the other money routes.</summary>
public sealed class SubscriptionRateLimitTests(App<Postgres, RateLimitSettings> app) : IClassFixture<App<Postgres, RateLimitSettings>>
{
    [Fact]
    public async Task A_free_users_eleventh_subscription_request_in_a_minute_is_refused()
    {
        var s = await app.RegisterAsync();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 11; i++)
        {
            responses.Add(await s.Client.GetAsync(i % 2 == 0 ? "/api/subscription/mine" : $"/api/subscription/check/{s.UserId}"));
        }

        Assert.All(responses.Take(10), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => Assert.Equal("10", r.Headers.GetValues("X-RateLimit-Limit").Single()));
        await responses[10].ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
    }
}
