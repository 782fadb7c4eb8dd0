namespace SuperApp.Platform.RateLimiting;

/// <summary>One limiter decision, with what the response headers need.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset Reset, TimeSpan RetryAfter);

/// <summary>Fixed-window counters: in-process, or in Redis so every instance shares them.</summary>
public interface IRateLimitStore
{
    /// <summary>Counts one request against <paramref name="key"/> if it is under the limit.</summary>
    ValueTask<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window, CancellationToken ct);
}
