using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Observability;

/// <summary>
/// The in-memory test server has no peer address; this sets it from a test header before anything
/// else runs, as Kestrel would from the socket.
/// </summary>
internal sealed class PeerAddressFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, inner) =>
        {
            if (IPAddress.TryParse(http.Request.Headers[Header].ToString(), out var peer))
            {
                http.Connection.RemoteIpAddress = peer;
            }

            return inner(http);
        });
        next(app);
    };
}

/// <summary>Scrapes allowed from 10.20.0.0/16 behind a known proxy; the test sets each request's peer address.</summary>
public sealed class MetricsAccessSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["Observability:MetricsAllowedNetworks:0"] = "10.20.0.0/16";
        app.Settings["Http:KnownProxies:0"] = "127.0.0.1";
        app.ConfigureServices(s => s.AddSingleton<IStartupFilter, PeerAddressFromHeader>());
    }
}

public sealed class MetricsOffSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["Observability:MetricsEnabled"] = "false";
        app.ConfigureServices(s => s.AddSingleton<IStartupFilter, PeerAddressFromHeader>());
    }
}

public sealed class MetricsEndpointTests(App<Sqlite, MetricsAccessSettings> app) : IClassFixture<App<Sqlite, MetricsAccessSettings>>
{
    private async Task<HttpResponseMessage> ScrapeAsync(string? peer, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (peer is not null)
        {
            request.Headers.Add(PeerAddressFromHeader.Header, peer);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await app.CreateClient().SendAsync(request);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.20.3.4")]
    public async Task Loopback_and_allowed_networks_get_prometheus_text(string peer)
    {
        await app.CreateClient().GetAsync("/api/health/live");

        var response = await ScrapeAsync(peer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("superapp_log_events_total", text, StringComparison.Ordinal);
        Assert.Contains("otel_scope_name=\"superapp\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.9", null)]
    [InlineData("10.21.0.1", null)]
    [InlineData(null, null)]
    [InlineData("127.0.0.1", "203.0.113.9")] // a public client through the local proxy
    public async Task Anyone_else_gets_the_404_of_an_unknown_path(string? peer, string? forwardedFor)
    {
        var response = await ScrapeAsync(peer, forwardedFor);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("superapp_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class MetricsSwitchedOffTests(App<Sqlite, MetricsOffSettings> app) : IClassFixture<App<Sqlite, MetricsOffSettings>>
{
    [Fact]
    public async Task With_metrics_off_there_is_no_endpoint_even_for_loopback()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add(PeerAddressFromHeader.Header, "127.0.0.1");

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().SendAsync(request)).StatusCode);
    }
}
