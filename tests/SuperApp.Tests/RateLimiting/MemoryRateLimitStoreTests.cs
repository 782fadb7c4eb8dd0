using SuperApp.Platform.RateLimiting;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.RateLimiting;

public sealed class MemoryRateLimitStoreTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static (TestClock Time, MemoryRateLimitStore Store) At(string utc)
    {
        var time = TestClock.Manual(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
        return (time, new MemoryRateLimitStore(time));
    }

    [Fact]
    public async Task Counts_down_to_the_limit_then_refuses_until_the_window_turns()
    {
        var (time, store) = At("2026-11-27T12:00:45Z");
        for (var i = 1; i <= 10; i++)
        {
            var d = await store.HitAsync("user:a", 10, Minute, CancellationToken.None);
            Assert.True(d.Allowed);
            Assert.Equal(10 - i, d.Remaining);
            Assert.Equal(DateTimeOffset.Parse("2026-11-27T12:01:00Z", System.Globalization.CultureInfo.InvariantCulture), d.Reset);
        }

        var refused = await store.HitAsync("user:a", 10, Minute, CancellationToken.None);
        Assert.False(refused.Allowed);
        Assert.Equal(0, refused.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(15), refused.RetryAfter); // until the window turns, not a whole window

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.True((await store.HitAsync("user:a", 10, Minute, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task Refused_requests_do_not_extend_the_lockout()
    {
        var (time, store) = At("2026-11-27T12:00:00Z");
        for (var i = 0; i < 50; i++)
        {
            await store.HitAsync("ip:1", 5, Minute, CancellationToken.None);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        time.Advance(TimeSpan.FromSeconds(55));
        var next = await store.HitAsync("ip:1", 5, Minute, CancellationToken.None);
        Assert.True(next.Allowed);
        Assert.Equal(4, next.Remaining);
    }

    [Fact]
    public async Task Keys_are_counted_separately()
    {
        var (_, store) = At("2026-11-27T12:00:00Z");
        Assert.True((await store.HitAsync("a", 1, Minute, CancellationToken.None)).Allowed);
        Assert.False((await store.HitAsync("a", 1, Minute, CancellationToken.None)).Allowed);
        Assert.True((await store.HitAsync("b", 1, Minute, CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task Parallel_hits_never_exceed_the_limit()
    {
        var (_, store) = At("2026-11-27T12:00:00Z");
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
            (await store.HitAsync("hot", 100, Minute, CancellationToken.None)).Allowed)));
        Assert.Equal(100, results.Count(a => a));
    }
}
