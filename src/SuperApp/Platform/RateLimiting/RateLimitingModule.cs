using StackExchange.Redis;

namespace SuperApp.Platform.RateLimiting;

/// <summary>
/// Marks a rate-limited endpoint (the OpenAPI document lists its limit headers and the 429) and, for
/// an anonymous one, says which account a request names, to limit per account as well as per IP.
/// </summary>
public sealed record RateLimitedMetadata(Func<EndpointFilterInvocationContext, string?>? Target);

public static class RateLimitingModule
{
    public static IServiceCollection AddTieredRateLimiting(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RateLimitOptions>()
            .Bind(config.GetSection(RateLimitOptions.Section))
            .Configure(o => o.Enabled = config.GetValue("RATE_LIMIT_ENABLED", o.Enabled))
            .Validate(o => o.Window > TimeSpan.Zero && o.Tiers.Values.All(v => v >= 0) && o.AnonymousPerIp > 0 && o.AnonymousPerTarget > 0,
                "RateLimiting: Window must be positive and limits not negative (0 = unlimited tier).")
            .ValidateOnStart();
        services.AddSingleton<MemoryRateLimitStore>();
        services.AddSingleton<IRateLimitStore>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? ActivatorUtilities.CreateInstance<RedisRateLimitStore>(sp, redis)
            : sp.GetRequiredService<MemoryRateLimitStore>());
        return services;
    }

    /// <summary>Per-user tier limit for a route group (wallet, premium, subscription, gift).</summary>
    public static RouteGroupBuilder RequireTierRateLimit(this RouteGroupBuilder group) =>
        group.WithMetadata(new RateLimitedMetadata(null)).AddEndpointFilter<RouteGroupBuilder, RateLimitFilter>();

    /// <summary>Anonymous limit per IP and, when <paramref name="target"/> names an account, per account.</summary>
    public static RouteHandlerBuilder RequireAnonymousRateLimit(
        this RouteHandlerBuilder endpoint, Func<EndpointFilterInvocationContext, string?>? target = null) =>
        endpoint.WithMetadata(new RateLimitedMetadata(target)).AddEndpointFilter<RateLimitFilter>();
}
