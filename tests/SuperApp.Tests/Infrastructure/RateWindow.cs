namespace SuperApp.Tests.Infrastructure;

/// <summary>
/// Rate-limit windows turn on the minute; a test that counts requests must not straddle that
/// turn, or the second window would let more through. Waits (at most one minute) until enough of
/// the current window is left.
/// </summary>
public static class RateWindow
{
    public static async Task FreshAsync(TimeSpan needed)
    {
        var now = DateTimeOffset.UtcNow;
        var left = TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(now.Ticks % TimeSpan.TicksPerMinute);
        if (left < needed)
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(200));
        }
    }
}
