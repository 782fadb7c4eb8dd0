namespace SuperApp.Features.Premium;

public static class StoredTime
{
    /// <summary>
    /// Now, cut to whole microseconds: PostgreSQL keeps no more, so what a response shows right after
    /// a write equals what every later read (and a browse cursor) shows.
    /// </summary>
    public static DateTime UtcNowStored(this TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
