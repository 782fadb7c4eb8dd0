using System.Net.Http.Headers;
using System.Text.Json;

namespace SuperApp.Features.Operations;

/// <summary>An account the smoke and load tests made through the API, with its tokens.</summary>
public sealed record TestAccount(Guid Id, string Username, string Email, string Password, string AccessToken);

/// <summary>
/// The deployment as a client sees it over HTTP: JSON in and out, bearer tokens, a fresh
/// Idempotency-Key on every POST unless one is given. Used by smoke and loadtest (and their cleanup).
/// </summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static HttpClient CreateHttp(string baseUrl, TimeSpan timeout, int maxConnections = 256) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"),
            Timeout = timeout,
        };

    /// <summary>The load path: only the status matters, so the body is drained, not parsed.</summary>
    public async Task<int> StatusAsync(HttpMethod method, string path, string token, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        }

        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        return (int)response.StatusCode;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token,
        object? body = null, string? idempotencyKey = null, string? requestId = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (method == HttpMethod.Post)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString("N"));
        }

        if (requestId is not null)
        {
            request.Headers.Add("X-Request-Id", requestId);
        }

        var response = await Http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var json = text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (response, json);
    }

    /// <summary>
    /// Sign-up and login are limited per client IP (against brute force); a test making many accounts
    /// from one host waits out the Retry-After the service gives instead of failing its setup.
    /// </summary>
    private async Task<(HttpResponseMessage Response, JsonElement Body)> AnonymousAsync(string path, object body, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (response, json) = await SendAsync(HttpMethod.Post, path, null, body, ct: ct);
            if (response.StatusCode != System.Net.HttpStatusCode.TooManyRequests || attempt >= 5 ||
                response.Headers.RetryAfter?.Delta is not { } wait || wait > TimeSpan.FromSeconds(90))
            {
                return (response, json);
            }

            await Task.Delay(wait, ct);
        }
    }

    public async Task<string> LoginAsync(string login, string password, CancellationToken ct)
    {
        var (response, body) = await AnonymousAsync("api/auth/login", new { login, password }, ct);
        return response.IsSuccessStatusCode
            ? body.GetProperty("accessToken").GetString()!
            : throw new InvalidOperationException($"login as {login} answered {(int)response.StatusCode} {Code(body)}");
    }

    public async Task<TestAccount> RegisterAsync(string prefix, CancellationToken ct)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..10];
        var password = "Sm0ke-" + Guid.NewGuid().ToString("N");
        var email = $"{name}@smoke.invalid";
        var (response, body) = await AnonymousAsync("api/auth/register", new { email, username = name, password }, ct);
        return response.IsSuccessStatusCode
            ? new TestAccount(body.GetProperty("user").GetProperty("id").GetGuid(), name, email, password,
                body.GetProperty("accessToken").GetString()!)
            : throw new InvalidOperationException($"register answered {(int)response.StatusCode} {Code(body)}");
    }

    /// <summary>Sets tier and/or role through the admin API, then logs in again so the token carries them.</summary>
    public async Task<TestAccount> SetAccessAsync(string adminToken, TestAccount account, string? tier, string? role, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Patch, $"api/admin/users/{account.Id}", adminToken, new { tier, role }, ct: ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"setting tier {tier} answered {(int)response.StatusCode} {Code(body)}");
        }

        return account with { AccessToken = await LoginAsync(account.Username, account.Password, ct) };
    }

    public async Task CreditAsync(string adminToken, Guid userId, long amount, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, $"api/admin/wallets/{userId}/credit", adminToken,
            new { amount, reason = "operations test funding" }, ct: ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"admin credit answered {(int)response.StatusCode} {Code(body)}");
        }
    }

    /// <summary>Erases a test account; best effort, so one failure does not leave the others behind.</summary>
    public async Task<bool> DeleteAsync(TestAccount account)
    {
        try
        {
            var (response, _) = await SendAsync(HttpMethod.Delete, "api/users/me", account.AccessToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public static string Code(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
}
