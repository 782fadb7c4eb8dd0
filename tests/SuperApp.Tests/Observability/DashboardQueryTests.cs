using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Observability;

/// <summary>
/// The built service on a real port, scraped every second by a real Prometheus (loopback, a
/// throwaway data folder, the alert rules loaded). After some traffic, every query of every
/// dashboard runs through Prometheus's API, and the key ones return series.
/// </summary>
public sealed partial class DashboardQueryTests : IAsyncLifetime
{
    // Series that only exist once their event has happened (a 429, Redis lost, a webhook, a failed job, a settlement).
    private static readonly HashSet<string> OnlyAfterTheirEvent =
    [
        "superapp_ratelimit_store_fallbacks_total", "superapp_ratelimit_rejections_total", "superapp_idempotency_conflicts_total",
        "superapp_idempotency_mismatches_total", "superapp_webhooks_total", "superapp_job_failures_total",
        "superapp_settlement_amount_total", "db_client_connection_npgsql_pending_requests",
    ];

    private static readonly string[] KeyPanels =
        ["Throughput (requests/s)", "Error ratio (5xx)", "Response time p50 / p95 / p99", "DB pool usage (used / max)"];

    private readonly string _work = Path.Combine(Path.GetTempPath(), "superapp-prometheus-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private string _database = "";
    private ServiceProcess? _service;
    private ServiceProcess? _prometheus;
    private Uri _app = null!;
    private Uri _prom = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        _database = await TestServers.CreatePostgresDatabaseAsync();
        var appPort = Programs.FreePort();
        _app = new Uri($"http://127.0.0.1:{appPort}");
        _service = await ServiceProcess.ServeAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = _app.ToString(),
            ["DATABASE_URI"] = _database,
            ["JWT_SECRET"] = AppFixture.JwtSecret,
            ["REDIS_URL"] = null,
            ["PORT"] = null,
            ["SENTRY_DSN"] = null,
            ["RATE_LIMIT_ENABLED"] = "false",
            ["LOG_LEVEL"] = "info", // request lines are information: the log-events series must exist
            ["Auth__PasswordHashIterations"] = "100000",
            ["Payments__SandboxEnabled"] = "true",
            ["Payments__SandboxSecret"] = "dashboard-sandbox-secret-0123456789",
            ["Payments__SandboxPayEndpoint"] = "true",
            ["Logging__File__Directory"] = Path.Combine(_work, "logs"),
        }, new Uri(_app, "/api/health/ready").ToString());

        var promPort = Programs.FreePort();
        _prom = new Uri($"http://127.0.0.1:{promPort}");
        var config = Path.Combine(_work, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {Path.Combine(Programs.Ops, "prometheus", "alerts.yml")}
            scrape_configs:
              - job_name: superapp
                static_configs:
                  - targets: ['127.0.0.1:{appPort}']
            """);
        _prometheus = await ServiceProcess.ServeAsync(Programs.Which("prometheus"), [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_work, "data")}",
            $"--web.listen-address=127.0.0.1:{promPort}", "--log.level=warn",
        ], new Uri(_prom, "/-/ready").ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        _http.Dispose();
        await TestServers.DropPostgresDatabaseAsync(_database);
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Every_dashboard_query_runs_on_real_series_the_key_ones_return_some_and_the_alert_rules_load()
    {
        using var traffic = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var load = SendTrafficAsync(traffic.Token);

        // Bounded polling of Prometheus until rates over a minute exist for requests and the pool is scraped.
        await WaitForSeriesAsync("sum(rate(http_server_request_duration_seconds_count{job=\"superapp\"}[1m])) > 0");
        await WaitForSeriesAsync("db_client_connection_max{job=\"superapp\"}");
        await WaitForSeriesAsync("superapp_ledger_postings_total{job=\"superapp\", kind=\"transfer\"}");
        await traffic.CancelAsync();
        await load;

        var names = await MetricNamesAsync();
        var failures = new List<string>();
        foreach (var (file, panel, expr) in DashboardQueries())
        {
            var (status, result, error) = await QueryAsync(expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal));
            if (status != "success")
            {
                failures.Add($"{file} / {panel}: {error}\n  {expr}");
                continue;
            }

            if (KeyPanels.Contains(panel) && result.GetArrayLength() == 0)
            {
                failures.Add($"{file} / {panel}: no series\n  {expr}");
            }

            foreach (var name in MetricNames(expr).Where(n => !names.Contains(n) && !OnlyAfterTheirEvent.Contains(n)))
            {
                failures.Add($"{file} / {panel}: {name} is not exported");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));

        // The same Prometheus loaded the alert rules: none of them fails to evaluate against real series.
        using var response = await _http.GetAsync(new Uri(_prom, "/api/v1/rules"));
        var rules = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(14, rules.Count);
        Assert.All(rules, r => Assert.NotEqual("err", r.GetProperty("health").GetString()));
    }

    /// <summary>Registrations, a top-up paid through the sandbox, transfers, a replay, reads and a few 404s, until cancelled.</summary>
    private async Task SendTrafficAsync(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = _app, Timeout = TimeSpan.FromSeconds(10) };
        var a = await RegisterAsync(client);
        var b = await RegisterAsync(client);
        var topup = await SendAsync(client, HttpMethod.Post, "/api/wallet/topup", a.Token, new { amount = 100_000,
            provider = "sandbox" }, ct: CancellationToken.None);
        var topupId = (await topup.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("topupId").GetString();
        (await SendAsync(client, HttpMethod.Post, $"/api/payments/sandbox/{topupId}/pay", a.Token,
            ct: CancellationToken.None)).EnsureSuccessStatusCode();
        var replayKey = Guid.NewGuid().ToString("N");
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SendAsync(client, HttpMethod.Post, "/api/wallet/transfer", a.Token, new { toUserId = b.Id, amount = 1 }, ct: ct);
                await SendAsync(client, HttpMethod.Post, "/api/wallet/transfer", a.Token, new { toUserId = b.Id, amount = 1 },
                    replayKey, ct);
                await SendAsync(client, HttpMethod.Get, "/api/wallet/balance", b.Token, ct: ct);
                await client.GetAsync("/api/no-such-thing", ct);
                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static async Task<(string Token, string Id)> RegisterAsync(HttpClient client)
    {
        var name = "d" + Guid.NewGuid().ToString("N")[..12];
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email = $"{name}@example.com", username = name,
            password = Api.Password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("accessToken").GetString()!, body.GetProperty("user").GetProperty("id").GetString()!);
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string path, string token, object? body = null, string? key = null,
        CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString("N"));
        }

        return await client.SendAsync(request, ct);
    }

    private async Task WaitForSeriesAsync(string query)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var (status, result, _) = await QueryAsync(query);
            if (status == "success" && result.GetArrayLength() > 0)
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"Prometheus never had a series for {query}; service output:\n{_service!.Output}");
    }

    private async Task<(string Status, JsonElement Result, string? Error)> QueryAsync(string query)
    {
        using var response = await _http.GetAsync(new Uri(_prom, "/api/v1/query?query=" + Uri.EscapeDataString(query)));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var status = body.GetProperty("status").GetString()!;
        return status == "success"
            ? (status, body.GetProperty("data").GetProperty("result").Clone(), null)
            : (status, default, body.GetProperty("error").GetString());
    }

    private async Task<HashSet<string>> MetricNamesAsync()
    {
        using var response = await _http.GetAsync(new Uri(_prom, "/api/v1/label/__name__/values"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("data").EnumerateArray().Select(n => n.GetString()!)];
    }

    private static IEnumerable<(string File, string Panel, string Expr)> DashboardQueries()
    {
        var files = Directory.GetFiles(Path.Combine(Programs.Ops, "grafana"), "*.json");
        Assert.Equal(3, files.Length);
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            Assert.Contains(doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray(),
                v => v.GetProperty("name").GetString() == "datasource" && v.GetProperty("type").GetString() == "datasource");
            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    var expr = target.GetProperty("expr").GetString()!;
                    Assert.True(!expr.Contains("rate(", StringComparison.Ordinal) || expr.Contains("$__rate_interval",
                        StringComparison.Ordinal)
                        || expr.Contains("increase(", StringComparison.Ordinal), expr);
                    yield return (Path.GetFileName(file), panel.GetProperty("title").GetString()!, expr);
                }
            }
        }
    }

    /// <summary>The metric names an expression reads: identifiers directly followed by a selector.</summary>
    private static IEnumerable<string> MetricNames(string expr) => MetricName().Matches(expr).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")]
    private static partial Regex MetricName();
}
