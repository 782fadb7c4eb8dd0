using Microsoft.Extensions.Options;
using StackExchange.Redis;
using SuperApp.Platform.Observability;

namespace SuperApp.Platform.RateLimiting;

/// <summary>Marks a rate-limited endpoint, so the OpenAPI document can list the limit headers and the 429.</summary>
public sealed class RateLimitedMetadata
{
    public static readonly RateLimitedMetadata Instance = new();

    private RateLimitedMetadata()
    {
    }
}

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
        group.WithMetadata(RateLimitedMetadata.Instance)
            .AddEndpointFilterFactory((factory, next) => Filter(factory.ApplicationServices, null).InvokeAsync(next));

    /// <summary>Anonymous limit per IP and, when <paramref name="target"/> names an account, per account.</summary>
    public static RouteHandlerBuilder RequireAnonymousRateLimit(this RouteHandlerBuilder endpoint, Func<EndpointFilterInvocationContext, string?>? target = null) =>
        endpoint.WithMetadata(RateLimitedMetadata.Instance)
            .AddEndpointFilterFactory((factory, next) => Filter(factory.ApplicationServices, target).InvokeAsync(next));

    private static RateLimitFilter Filter(IServiceProvider sp, Func<EndpointFilterInvocationContext, string?>? target) => new(
        sp.GetRequiredService<IRateLimitStore>(), sp.GetRequiredService<IOptionsMonitor<RateLimitOptions>>(), sp.GetRequiredService<AppMetrics>(), target);

    private static EndpointFilterDelegate InvokeAsync(this RateLimitFilter filter, EndpointFilterDelegate next) =>
        context => filter.InvokeAsync(context, next);
}
