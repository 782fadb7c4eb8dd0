namespace SuperApp.Platform;

/// <summary>The service's one "now".</summary>
public static class Clock
{
    /// <summary>
    /// The current UTC time cut to whole microseconds: PostgreSQL keeps no more, so what a response
    /// shows right after a write equals what every later read (and a cursor built from it) shows.
    /// </summary>
    public static DateTime UtcNow(this TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
