namespace SuperApp.Tests.Observability;

/// <summary>With <c>Observability:MetricsPort</c> set, metrics move to that port and the main port has none.</summary>
public sealed class MetricsPortTests
{
    [Fact]
    public async Task Metrics_are_served_on_the_metrics_port_only_and_that_port_serves_nothing_else()
    {
        var main = Programs.FreePort();
        var metrics = Programs.FreePort();
        await using var service = await ServiceProcess.ServeAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{main}",
            ["PORT"] = null,
            ["REDIS_URL"] = null,
            ["SENTRY_DSN"] = null,
            ["DATABASE_URI"] = "Host=127.0.0.1;Port=1;Username=x;Timeout=2",
            ["Database__AutoMigrate"] = "false",
            ["JWT_SECRET"] = "development-jwt-secret-0123456789-abcdefgh",
            ["Observability__MetricsPort"] = metrics.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__File__Directory"] = Path.Combine(Path.GetTempPath(), "superapp-cli-logs", Guid.NewGuid().ToString("N")),
        }, $"http://127.0.0.1:{main}/api/health/live");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var onMetricsPort = await http.GetAsync($"http://127.0.0.1:{metrics}/metrics");
        var onMainPort = await http.GetAsync($"http://127.0.0.1:{main}/metrics");
        var apiOnMetricsPort = await http.GetAsync($"http://127.0.0.1:{metrics}/api/health/live");

        Assert.Equal(System.Net.HttpStatusCode.OK, onMetricsPort.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await onMetricsPort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, onMainPort.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, apiOnMetricsPort.StatusCode);
    }
}
