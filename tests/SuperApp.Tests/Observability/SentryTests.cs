using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Observability;

/// <summary>
/// A route that throws, mapped only here: appended after the service's own pipeline, so it runs
/// inside it (request id, authentication, exception handler) like any endpoint would.
/// </summary>
internal sealed class ThrowingRoute : IStartupFilter
{
    public const string Path = "/test/throw";
    public const string Secret = "hunter2-in-the-message";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Map(Path, b => b.Run(_ => throw new InvalidOperationException($"Test failure while charging, password={Secret}")));
    };
}

/// <summary>The service with SENTRY_DSN pointing at a local receiver, which starts first and stops last.</summary>
public sealed class SentryApp : AppFixture
{
    public SentryApp() : base(Postgres.Provider) => ConfigureServices(s => s.AddSingleton<IStartupFilter, ThrowingRoute>());

    public SentryReceiver Receiver { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Receiver = await SentryReceiver.StartAsync();
        Settings["SENTRY_DSN"] = Receiver.Dsn;
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed partial class SentryTests(SentryApp app) : IClassFixture<SentryApp>
{
    [Fact]
    public async Task A_thrown_exception_is_one_event_with_request_id_user_release_and_environment_and_no_secrets()
    {
        var s = await app.RegisterAsync();
        var requestId = "sentry-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get,
            ThrowingRoute.Path + "?token=query-token-secret&password=query-pw-secret");
        request.Headers.Add("X-Request-Id", requestId);
        request.Headers.Add("Cookie", "session=cookie-secret-value");

        var response = await s.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var received = await app.Receiver.WaitForAsync(e => e.Tag("request_id") == requestId);
        await app.Services.GetRequiredService<IHub>().FlushAsync(TimeSpan.FromSeconds(5));
        Assert.Single(app.Receiver.Events, e => e.Tag("request_id") == requestId);

        var e = received.Event;
        Assert.Equal(s.UserId.ToString(), e.GetProperty("user").GetProperty("id").GetString());
        Assert.StartsWith("superapp@", e.GetProperty("release").GetString(), StringComparison.Ordinal);
        Assert.Equal("Testing", e.GetProperty("environment").GetString());
        Assert.Contains("InvalidOperationException", received.Raw, StringComparison.Ordinal);
        foreach (var secret in new[] { s.AccessToken, "cookie-secret-value", "query-token-secret", "query-pw-secret",
            ThrowingRoute.Secret, s.Email })
        {
            Assert.DoesNotContain(secret, received.Raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_error_log_becomes_an_event_with_its_secrets_masked()
    {
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SuperApp.Tests.Sentry");

        LogProviderRefused(logger, marker, "tok-secret-value");

        var received = await app.Receiver.WaitForAsync(e => e.Raw.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("error", received.Event.GetProperty("level").GetString());
        Assert.DoesNotContain("tok-secret-value", received.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_business_rule_is_not_an_event()
    {
        var s = await app.RegisterAsync();
        var requestId = "refusal-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/wallet/transfer")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { toUserId = Guid.NewGuid(), amount = 5 }),
        };
        request.Headers.Add("X-Request-Id", requestId);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));

        var response = await s.Client.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, response.StatusCode.ToString());
        await app.Services.GetRequiredService<IHub>().FlushAsync(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(app.Receiver.Events, e => e.Tag("request_id") == requestId);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Payment provider refused {Marker} with token={Token}")]
    private static partial void LogProviderRefused(ILogger logger, string marker, string token);
}
