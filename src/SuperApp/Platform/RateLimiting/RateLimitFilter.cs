using System.Globalization;
using SuperApp.Platform.Observability;

namespace SuperApp.Platform.RateLimiting;

/// <summary>
/// Applies a limit to an endpoint and puts <c>X-RateLimit-*</c> on every response it lets through;
/// a refused request gets 429 with <c>Retry-After</c> (seconds until a request would pass).
/// Signed-in users are limited per user by tier; anonymous endpoints per client IP and, where the
/// request names an account, per that account.
/// </summary>
public sealed class RateLimitFilter(IRateLimitStore store, IOptionsMonitor<RateLimitOptions> options, AppMetrics metrics) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var o = options.CurrentValue;
        var http = context.HttpContext;
        if (!o.Enabled || IsSwitchedOff(http, o))
        {
            return await next(context);
        }

        var ct = http.RequestAborted;
        RateLimitDecision decision;
        string label;
        if (http.User.Identity?.IsAuthenticated == true)
        {
            label = http.User.Tier();
            var limit = o.Tiers.TryGetValue(label, out var l) ? l : o.Tiers.GetValueOrDefault("free", 10);
            if (limit <= 0)
            {
                return await next(context); // unlimited tier
            }

            decision = await store.HitAsync($"user:{http.User.UserId()}", limit, o.Window, ct);
        }
        else
        {
            label = "anonymous";
            var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            decision = await store.HitAsync($"ip:{ip}", o.AnonymousPerIp, o.Window, ct);
            var target = http.GetEndpoint()?.Metadata.GetMetadata<RateLimitedMetadata>()?.Target;
            if (decision.Allowed && target?.Invoke(context) is { Length: > 0 } account)
            {
                var perTarget = await store.HitAsync($"target:{account.Trim().ToLowerInvariant()}", o.AnonymousPerTarget, o.Window, ct);
                decision = perTarget.Allowed && perTarget.Remaining >= decision.Remaining ? decision : perTarget;
            }
        }

        var headers = http.Response.Headers;
        headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = decision.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            return await next(context);
        }

        metrics.RateLimited(label, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown");
        return Problems.Of(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", "Too many requests. Slow down.",
                $"The limit is {decision.Limit} requests per {o.Window.TotalSeconds:0} seconds.")
            .WithRetryAfter(decision.RetryAfter);
    }

    /// <summary>The checklist's partial rollback: a group prefix or "METHOD /path/pattern" listed in Disabled.</summary>
    private static bool IsSwitchedOff(HttpContext http, RateLimitOptions o)
    {
        if (o.Disabled.Count == 0)
        {
            return false;
        }

        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        var route = $"{http.Request.Method} {pattern}";
        return o.Disabled.Any(d => d.Contains(' ', StringComparison.Ordinal)
            ? string.Equals(d.Trim(), route, StringComparison.OrdinalIgnoreCase)
            : pattern.StartsWith(d.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }
}
