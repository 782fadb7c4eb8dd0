using SuperApp.Platform.Observability;
using StackExchange.Redis;

namespace SuperApp.Platform.RateLimiting;

/// <summary>
/// Fixed windows in Redis, so the limit holds across instances. One atomic script per decision, the
/// window taken from the service's clock like the local store's, so both count the same windows.
/// When Redis is down or slow the local store decides (logged once per outage, counted) and Redis is
/// tried again shortly after.
/// </summary>
public sealed partial class RedisRateLimitStore(
    IConnectionMultiplexer redis, MemoryRateLimitStore fallback, IOptions<RateLimitOptions> options, IConfiguration config,
    TimeProvider time, AppMetrics metrics, ILogger<RedisRateLimitStore> logger) : IRateLimitStore
{
    // The caller's clock, not Redis TIME: instances are NTP-synchronised, and a few milliseconds of skew
    // at a window's edge only moves a request into the neighbouring window, which is harmless.
    private const string Script = """
        local window = tonumber(ARGV[1])
        local limit = tonumber(ARGV[2])
        local now = tonumber(ARGV[3])
        local start = now - (now % window)
        local key = KEYS[1] .. ':' .. start
        local count = tonumber(redis.call('GET', key) or '0')
        local allowed = 0
        if count < limit then
            count = redis.call('INCR', key)
            if count == 1 then redis.call('PEXPIRE', key, window + 1000) end
            allowed = 1
        end
        return { allowed, count, start + window, now }
        """;

    private readonly string _prefix = (config["REDIS_KEY_PREFIX"] is { Length: > 0 } p ? p : "superapp:") + "rl:";
    private long _downUntilTicks;

    public bool IsDown => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _downUntilTicks);

    public async ValueTask<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window, CancellationToken ct)
    {
        if (!IsDown)
        {
            try
            {
                var result = (RedisResult[])(await redis.GetDatabase()
                    .ScriptEvaluateAsync(Script, [new RedisKey(_prefix + key)],
                        [(long)window.TotalMilliseconds, limit, time.GetUtcNow().ToUnixTimeMilliseconds()])
                    .WaitAsync(options.Value.RedisTimeout, ct))!;
                if (Interlocked.Exchange(ref _downUntilTicks, 0) != 0)
                {
                    LogRecovered(logger);
                }

                var (allowed, count, reset, now) = ((int)result[0] == 1, (int)result[1], (long)result[2], (long)result[3]);
                return new RateLimitDecision(allowed, limit, Math.Max(0, limit - count), DateTimeOffset.FromUnixTimeMilliseconds(reset),
                    allowed ? TimeSpan.Zero : TimeSpan.FromMilliseconds(reset - now));
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                var until = time.GetUtcNow() + options.Value.RedisRetryAfter;
                if (Interlocked.Exchange(ref _downUntilTicks, until.UtcTicks) == 0)
                {
                    LogOutage(logger, e.Message);
                }
            }
        }

        metrics.RateLimitFallbacks.Add(1);
        return await fallback.HitAsync(key, limit, window, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Redis rate-limit store unavailable ({Reason}); limiting with the local store until it is back")]
    private static partial void LogOutage(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis rate-limit store is back; limits are shared again")]
    private static partial void LogRecovered(ILogger logger);
}
