using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace SuperApp.Tests.Infrastructure;

/// <summary>
/// The one clock of every test app: a <see cref="FakeTimeProvider"/> that starts at the real time and that a test moves
/// forward with <c>Advance</c>.
/// <para>
/// By default it also runs on with real time, as a production clock does: timestamps keep their order, and waits in the
/// service's background loops (presence grace, leaderboard throttling, metric samples, periodic jobs) are real timers
/// that fire as time passes. A jump does not wake those timers: a job running because a test moved the clock would race
/// the test's own checks (a settlement the test is about to make itself, for one).
/// </para>
/// <para>
/// <see cref="Manual"/> makes a clock that moves only when the test moves it, timers included: for tests that compare
/// times exactly, count within one rate-limit window however slow the machine, or let a job's timer tick on demand. It
/// starts on a whole second, so times read back from either database compare exactly.
/// </para>
/// Move it with <c>Advance</c> or <see cref="AdvanceTo"/> only: <c>SetUtcNow</c> would not take the real time already
/// run into account.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    private readonly long _started = Stopwatch.GetTimestamp();

    private TestClock(bool manual, DateTimeOffset start) : base(start)
    {
        IsManual = manual;
    }

    /// <summary>A clock that runs on with real time, and that tests may move forward.</summary>
    public TestClock() : this(manual: false, DateTimeOffset.UtcNow)
    {
    }

    /// <summary>A clock that stands still (at <paramref name="start"/>, or now) until the test moves it, and whose timers
    /// fire only then.</summary>
    public static TestClock Manual(DateTimeOffset? start = null) =>
        new(manual: true, start ?? DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public bool IsManual { get; }

    private TimeSpan RealTimeRun => IsManual ? TimeSpan.Zero : Stopwatch.GetElapsedTime(_started);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + RealTimeRun;

    public override long GetTimestamp() => base.GetTimestamp() + RealTimeRun.Ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => IsManual
        ? base.CreateTimer(callback, state, dueTime, period)
        : TimeProvider.System.CreateTimer(callback, state, dueTime, period);

    /// <summary>Moves the clock forward to <paramref name="time"/> (not back: a clock that has moved on stays there).</summary>
    public void AdvanceTo(DateTimeOffset time) => Advance(time - GetUtcNow());

    /// <summary>Moves the clock to the start of the next window of <paramref name="length"/> (windows count from the Unix
    /// epoch, as the rate limiter's do) and returns that start.</summary>
    public DateTimeOffset AdvanceToNextWindow(TimeSpan length)
    {
        var now = GetUtcNow().ToUnixTimeMilliseconds();
        var windowMs = (long)length.TotalMilliseconds;
        var next = DateTimeOffset.FromUnixTimeMilliseconds((now / windowMs + 1) * windowMs);
        AdvanceTo(next);
        return next;
    }
}
