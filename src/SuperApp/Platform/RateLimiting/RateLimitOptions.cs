namespace SuperApp.Platform.RateLimiting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>From <c>RATE_LIMIT_ENABLED</c>; off switches every limit off.</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests per window per user, by tier; 0 means unlimited.</summary>
    public Dictionary<string, int> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["free"] = 10,
        ["premium"] = 100,
        ["creator"] = 500,
        ["admin"] = 0,
    };

    /// <summary>Anonymous auth endpoints, per client IP.</summary>
    public int AnonymousPerIp { get; set; } = 30;

    /// <summary>Anonymous auth endpoints, per target account (login or phone), against brute force and SMS pumping.</summary>
    public int AnonymousPerTarget { get; set; } = 10;

    /// <summary>
    /// Route groups or single routes with limiting switched off (a partial rollback), e.g.
    /// <c>/api/gift</c> or <c>POST /api/wallet/transfer</c>.
    /// </summary>
    public List<string> Disabled { get; set; } = [];

    /// <summary>How long a Redis round trip may take before the local store decides instead.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>After a Redis failure, how long to stay on the local store before trying Redis again.</summary>
    public TimeSpan RedisRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
