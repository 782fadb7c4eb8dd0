using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace SuperApp.Features.Operations;

public sealed record SmokeOptions(string BaseUrl, string AdminEmail, string AdminPassword, string HubPath = "/hubs/realtime");

/// <summary>
/// <c>smoke</c>: the checklist's §4.3 in its order against a running deployment over HTTP. Its
/// accounts are made through the API, funded by the admin credit (no payment gateway needed) and
/// erased afterwards. A deployment with rate limiting off fails: the checklist requires it.
/// </summary>
public static class Smoke
{
    public static async Task<OpsReport> RunAsync(SmokeOptions o, CancellationToken ct)
    {
        var report = new OpsReport("smoke");
        using var http = ApiClient.CreateHttp(o.BaseUrl, TimeSpan.FromSeconds(30));
        var api = new ApiClient(http);
        var accounts = new List<TestAccount>();
        try
        {
            await StepsAsync(report, api, o, accounts, ct);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException
                                      or KeyNotFoundException or JsonException)
        {
            report.Fail("smoke aborted", e.GetType().Name, e.Message);
        }
        finally
        {
            var deleted = 0;
            foreach (var account in accounts)
            {
                deleted += await api.DeleteAsync(account) ? 1 : 0;
            }

            report.Add(OpsCheck.Of("cleanup", deleted == accounts.Count, $"{deleted}/{accounts.Count} test accounts deleted",
                "Some test accounts could not be deleted (DELETE /api/users/me)."));
        }

        return report;
    }

    private static async Task StepsAsync(OpsReport report, ApiClient api, SmokeOptions o, List<TestAccount> accounts, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        string Took() => $" ({watch.ElapsedMilliseconds} ms)";

        var (health, healthBody) = await api.SendAsync(HttpMethod.Get, "api/health", null, ct: ct);
        report.Add(OpsCheck.Of("health check", health.StatusCode == HttpStatusCode.OK,
            $"GET /api/health {(int)health.StatusCode} {Status(healthBody)}", "The deployment is not healthy."));

        watch.Restart();
        var admin = await api.LoginAsync(o.AdminEmail, o.AdminPassword, ct);
        var buyer = await api.RegisterAsync("smokebuyer", ct);
        accounts.Add(buyer);
        var creator = await api.RegisterAsync("smokecreator", ct);
        accounts.Add(creator);
        var free = await api.RegisterAsync("smokefree", ct);
        accounts.Add(free);
        // Premium keeps the buyer under its tier's limit through the whole run; the free account is kept for the 429 check.
        buyer = accounts[0] = await api.SetAccessAsync(admin, buyer, "premium", null, ct);
        creator = accounts[1] = await api.SetAccessAsync(admin, creator, null, "creator", ct);
        report.Add(OpsCheck.Pass("authentication flow", "register + login ×3, admin login" + Took()));

        watch.Restart();
        await api.CreditAsync(admin, buyer.Id, 1_000_000, ct);
        var before = await BalanceAsync(api, buyer, ct);
        var (transfer, _) = await api.SendAsync(HttpMethod.Post, "api/wallet/transfer", buyer.AccessToken,
            new { toUserId = creator.Id, amount = 10_000, note = "smoke" }, ct: ct);
        var after = await BalanceAsync(api, buyer, ct);
        var received = await BalanceAsync(api, creator, ct);
        report.Add(OpsCheck.Of("wallet operations", transfer.StatusCode == HttpStatusCode.Created && before - after == 10_000
            && received == 10_000,
            $"balance {before} → {after}, transfer {(int)transfer.StatusCode}, recipient {received}{Took()}",
            "The transfer did not move exactly 10,000 from one wallet to the other."));

        watch.Restart();
        var (created, content) = await api.SendAsync(HttpMethod.Post, "api/premium", creator.AccessToken,
            new { title = "Smoke test post", description = "made by superapp smoke", category = "other", price = 10_000 }, ct: ct);
        var contentId = content.GetProperty("id").GetGuid();
        var (published, _) = await api.SendAsync(HttpMethod.Post, $"api/premium/{contentId}/publish", creator.AccessToken, ct: ct);
        var pendingBefore = await PendingAsync(api, creator, ct);
        var (unlock, unlocked) = await api.SendAsync(HttpMethod.Post, "api/premium/unlock", buyer.AccessToken, new { contentId }, ct: ct);
        var buyerAfter = await BalanceAsync(api, buyer, ct);
        var pendingAfter = await PendingAsync(api, creator, ct);
        var ok = unlock.StatusCode == HttpStatusCode.Created && created.IsSuccessStatusCode && published.IsSuccessStatusCode;
        var (share, fee) = ok ? (unlocked.GetProperty("creatorShare").GetInt64(), unlocked.GetProperty("platformFee").GetInt64()) : (0, 0);
        report.Add(OpsCheck.Of("premium unlock, revenue split", ok && share + fee == 10_000 && after - buyerAfter == 10_000 &&
                pendingAfter - pendingBefore == share,
            $"price 10000 = creator {share} + platform {fee}; buyer −{after - buyerAfter}, " +
            $"creator pending +{pendingAfter - pendingBefore}{Took()}",
            $"unlock {(int)unlock.StatusCode} {ApiClient.Code(unlocked)}: the split does not add up from both sides."));

        watch.Restart();
        var (plans, _) = await api.SendAsync(HttpMethod.Put, "api/subscription/plans", creator.AccessToken,
            new { plans = new[] { new { plan = "monthly", price = 5_000 } } }, ct: ct);
        var (subscribe, subscribed) = await api.SendAsync(HttpMethod.Post, "api/subscription/subscribe", buyer.AccessToken,
            new { creatorId = creator.Id, plan = "monthly" }, ct: ct);
        var (_, access) = await api.SendAsync(HttpMethod.Get, $"api/subscription/check/{creator.Id}", buyer.AccessToken, ct: ct);
        var hasAccess = access.ValueKind == JsonValueKind.Object && access.GetProperty("subscribed").GetBoolean();
        report.Add(OpsCheck.Of("subscription", plans.IsSuccessStatusCode && subscribe.StatusCode == HttpStatusCode.Created && hasAccess,
            $"plans {(int)plans.StatusCode}, subscribe {(int)subscribe.StatusCode}, access {hasAccess}{Took()}",
            $"subscribe answered {ApiClient.Code(subscribed)}"));

        watch.Restart();
        var (gift, gifted) = await api.SendAsync(HttpMethod.Post, "api/gift/send", buyer.AccessToken,
            new { recipientId = creator.Id, giftType = "rose", quantity = 1 }, ct: ct);
        var (_, board) = await api.SendAsync(HttpMethod.Get, "api/gift/leaderboard?period=day&board=receivers", buyer.AccessToken, ct: ct);
        var ranked = board.ValueKind == JsonValueKind.Object && board.GetProperty("items").EnumerateArray()
            .Any(i => i.GetProperty("user").GetProperty("id").GetGuid() == creator.Id);
        report.Add(OpsCheck.Of("gift, leaderboard", gift.StatusCode == HttpStatusCode.Created && ranked,
            $"gift {(int)gift.StatusCode}, creator on today's leaderboard: {ranked}{Took()}", $"gift answered {ApiClient.Code(gifted)}"));

        report.Add(await RealtimeAsync(api, o, buyer, creator, ct));

        watch.Restart();
        report.Add(await RateLimitAsync(api, free, ct));
        report.Add(await IdempotencyAsync(api, buyer, creator, ct));

        var requestId = "smoke-" + Guid.NewGuid().ToString("N")[..16];
        var (echo, _) = await api.SendAsync(HttpMethod.Get, "api/health/live", null, requestId: requestId, ct: ct);
        var echoed = echo.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        report.Add(OpsCheck.Of("request id", echoed == requestId, echoed ?? "(no X-Request-Id header)",
            $"Sent X-Request-Id {requestId}; it must come back unchanged."));
    }

    /// <summary>
    /// A message delivered through the hub: both test accounts connect with the official .NET client,
    /// the buyer opens a direct conversation and sends through the hub, and the creator must receive
    /// <c>message.created</c> (bounded wait). A deployment without the hub fails the item.
    /// </summary>
    private static async Task<OpsCheck> RealtimeAsync(ApiClient api, SmokeOptions o, TestAccount sender, TestAccount receiver,
        CancellationToken ct)
    {
        var hubUrl = new Uri(new Uri(o.BaseUrl.TrimEnd('/') + "/"), o.HubPath.TrimStart('/'));
        var (created, conversation) = await api.SendAsync(HttpMethod.Post, "api/chat/conversations", sender.AccessToken,
            new { memberIds = new[] { receiver.Id } }, ct: ct);
        if (!created.IsSuccessStatusCode)
        {
            return OpsCheck.Fail("real-time messaging", $"conversation {(int)created.StatusCode}",
                $"POST /api/chat/conversations answered {ApiClient.Code(conversation)}");
        }

        var conversationId = conversation.GetProperty("id").GetGuid();
        await using var listening = Connect(hubUrl, receiver.AccessToken);
        await using var sending = Connect(hubUrl, sender.AccessToken);
        var received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = new Stopwatch();
        listening.On<JsonElement>("event", e =>
        {
            if (e.GetProperty("type").GetString() == "message.created")
            {
                received.TrySetResult(watch.ElapsedMilliseconds);
            }
        });
        try
        {
            await listening.StartAsync(ct);
            await sending.StartAsync(ct);
            watch.Start();
            await sending.InvokeAsync<JsonElement>("SendMessage", conversationId, "smoke-" + Guid.NewGuid().ToString("N"), "smoke", ct);
            var ms = await received.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            return OpsCheck.Pass("real-time messaging", $"message.created delivered through {o.HubPath} in {ms} ms");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or HubException or InvalidOperationException)
        {
            return OpsCheck.Fail("real-time messaging", "not delivered", $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static HubConnection Connect(Uri hub, string token) => new HubConnectionBuilder()
        .WithUrl(hub, h => h.AccessTokenProvider = () => Task.FromResult<string?>(token))
        .Build();

    /// <summary>A free account, on a limited route, must be refused with 429 RATE_LIMITED right after its limit.</summary>
    private static async Task<OpsCheck> RateLimitAsync(ApiClient api, TestAccount free, CancellationToken ct)
    {
        var (first, _) = await api.SendAsync(HttpMethod.Get, "api/wallet/balance", free.AccessToken, ct: ct);
        if (!first.Headers.TryGetValues("X-RateLimit-Limit", out var limits) || !int.TryParse(limits.First(), out var limit) || limit <= 0)
        {
            return OpsCheck.Fail("rate limiting", "no X-RateLimit-Limit on /api/wallet/balance",
                "Rate limiting is off (RATE_LIMIT_ENABLED=false?); the checklist requires it on.");
        }

        for (var i = 2; i <= limit + 1; i++)
        {
            var (response, body) = await api.SendAsync(HttpMethod.Get, "api/wallet/balance", free.AccessToken, ct: ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retry = response.Headers.RetryAfter?.Delta?.TotalSeconds;
                return OpsCheck.Of("rate limiting", i == limit + 1 && ApiClient.Code(body) == "RATE_LIMITED" && retry is not null,
                    $"429 {ApiClient.Code(body)} at request {i} of a free account (limit {limit}/min), Retry-After {retry} s",
                    "The 429 came at the wrong request or without Retry-After.");
            }
        }

        return OpsCheck.Fail("rate limiting", $"no 429 after {limit + 1} requests", $"A free account's limit is {limit}/min.");
    }

    private static async Task<OpsCheck> IdempotencyAsync(ApiClient api, TestAccount buyer, TestAccount creator, CancellationToken ct)
    {
        var key = "smoke-replay-" + Guid.NewGuid().ToString("N");
        var before = await BalanceAsync(api, buyer, ct);
        var body = new { toUserId = creator.Id, amount = 1_000, note = "smoke replay" };
        var (first, one) = await api.SendAsync(HttpMethod.Post, "api/wallet/transfer", buyer.AccessToken, body, key, ct: ct);
        var (second, two) = await api.SendAsync(HttpMethod.Post, "api/wallet/transfer", buyer.AccessToken, body, key, ct: ct);
        var after = await BalanceAsync(api, buyer, ct);
        var replayed = second.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.First() == "true";
        var same = one.ValueKind == JsonValueKind.Object && one.GetRawText() == two.GetRawText();
        return OpsCheck.Of("idempotency", first.StatusCode == HttpStatusCode.Created && replayed && same && before - after == 1_000,
            $"replayed {replayed}, same body {same}, moved {before - after} once",
            "The same Idempotency-Key must replay the stored answer and move the money once.");
    }

    private static async Task<long> BalanceAsync(ApiClient api, TestAccount who, CancellationToken ct)
    {
        var (response, body) = await api.SendAsync(HttpMethod.Get, "api/wallet/balance", who.AccessToken, ct: ct);
        return response.IsSuccessStatusCode
            ? body.GetProperty("balance").GetInt64()
            : throw new InvalidOperationException($"balance answered {(int)response.StatusCode} {ApiClient.Code(body)}");
    }

    private static async Task<long> PendingAsync(ApiClient api, TestAccount who, CancellationToken ct)
    {
        var (response, body) = await api.SendAsync(HttpMethod.Get, "api/creator/revenue", who.AccessToken, ct: ct);
        return response.IsSuccessStatusCode
            ? body.GetProperty("pending").GetInt64()
            : throw new InvalidOperationException($"creator revenue answered {(int)response.StatusCode} {ApiClient.Code(body)}");
    }

    private static string Status(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("status", out var s) ? s.ToString() : "";
}
