using System.Collections.Concurrent;

namespace SuperApp.Platform.RateLimiting;

/// <summary>
/// In-process fixed windows aligned to the clock (a minute window resets on the minute), so the
/// reset time is exact and the same on every instance. Rejected requests are not counted.
/// </summary>
public sealed class MemoryRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private long _lastSweep;

    public ValueTask<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var start = now.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds * (long)window.TotalMilliseconds;
        var reset = DateTimeOffset.FromUnixTimeMilliseconds(start) + window;
        Sweep(start);

        var counter = _counters.GetOrAdd(key, _ => new Counter());
        int count;
        bool allowed;
        lock (counter)
        {
            if (counter.WindowStart != start)
            {
                counter.WindowStart = start;
                counter.Count = 0;
            }

            allowed = counter.Count < limit;
            if (allowed)
            {
                counter.Count++;
            }

            count = counter.Count;
        }

        return ValueTask.FromResult(new RateLimitDecision(allowed, limit, Math.Max(0, limit - count), reset,
            allowed ? TimeSpan.Zero : reset - now));
    }

    /// <summary>Drops counters of past windows now and then, so idle clients do not pile up.</summary>
    private void Sweep(long currentStart)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (last == currentStart || Interlocked.CompareExchange(ref _lastSweep, currentStart, last) != last)
        {
            return;
        }

        foreach (var (key, counter) in _counters)
        {
            if (counter.WindowStart < currentStart)
            {
                _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
            }
        }
    }

    private sealed class Counter
    {
        public long WindowStart;
        public int Count;
    }
}
