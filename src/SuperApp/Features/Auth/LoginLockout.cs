using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;

namespace SuperApp.Features.Auth;

/// <summary>
/// Locks a login target for a while after too many failures inside a window. Counted in the
/// database so the lock holds across instances and restarts.
/// </summary>
public sealed class LoginLockout(AppDbContext db, TimeProvider time, IOptions<AuthOptions> options)
{
    private readonly AuthOptions _o = options.Value;

    public async Task<TimeSpan?> RetryAfterAsync(string key, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = await db.LoginThrottles.Where(t => t.Key == key).Select(t => t.LockedUntil).FirstOrDefaultAsync(ct);
        return until > now ? until - now : null;
    }

    /// <summary>Counts a failure; returns how long the target is now locked, if this failure locked it.</summary>
    public async Task<TimeSpan?> RecordFailureAsync(string key, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.LoginThrottles.FirstOrDefaultAsync(t => t.Key == key, ct);
        if (row is null)
        {
            row = new LoginThrottle { Key = key, WindowStart = now };
            db.LoginThrottles.Add(row);
        }
        else if (now - row.WindowStart > _o.FailedLoginWindow)
        {
            row.WindowStart = now;
            row.Failures = 0;
        }

        row.Failures++;
        TimeSpan? locked = null;
        if (row.Failures >= _o.MaxFailedLogins)
        {
            row.LockedUntil = now + _o.LockoutDuration;
            row.Failures = 0;
            row.WindowStart = now;
            locked = _o.LockoutDuration;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent first failure created the row; this attempt is still refused.
            db.ChangeTracker.Clear();
        }

        return locked;
    }

    public Task ResetAsync(string key, CancellationToken ct) =>
        db.LoginThrottles.Where(t => t.Key == key).ExecuteDeleteAsync(ct);
}
