namespace SuperApp.Features.Auth;

/// <summary>How many failures a target may have inside a window before it is locked, and for how long.</summary>
public sealed record LockPolicy(int MaxFailures, TimeSpan Window, TimeSpan LockFor);

/// <summary>
/// Locks a login target (an account, a typed login, a phone number) after too many failures inside
/// a window. Each attempt is counted as a failure by one atomic statement <em>before</em> the secret
/// is checked, so a burst in parallel cannot get more checks than the limit, on any instance: the
/// count lives in the database. A success clears the count only while the target is not locked, so
/// once locked every attempt, right or wrong, is refused until the lock ends.
/// </summary>
public sealed class LoginLockout(AppDbContext db, TimeProvider time, IOptions<AuthOptions> options)
{
    public LockPolicy Passwords => new(options.Value.MaxFailedLogins, options.Value.FailedLoginWindow, options.Value.LockoutDuration);

    public LockPolicy OneTimeCodes => new(options.Value.OtpMaxAttemptsPerHour, TimeSpan.FromHours(1), options.Value.OtpLockoutDuration);

    /// <summary>
    /// Counts this attempt: the failures counted so far in the window (this one included) and the
    /// time left on the lock when the target is locked.
    /// </summary>
    public async Task<(int Failures, TimeSpan? Locked)> CountAttemptAsync(string key, LockPolicy policy, CancellationToken ct)
    {
        var now = time.UtcNow();
        var (floor, until, max) = (now - policy.Window, now + policy.LockFor, policy.MaxFailures);
        // A lock still running leaves the row alone; an old window or a finished lock starts afresh.
        var rows = await db.Database.SqlQuery<CountRow>($"""
            INSERT INTO login_throttles ("key", failures, window_start, locked_until) VALUES ({key}, 1, {now}, NULL)
            ON CONFLICT ("key") DO UPDATE SET
              failures = CASE WHEN login_throttles.locked_until > {now} THEN login_throttles.failures
                              WHEN login_throttles.window_start <= {floor} OR login_throttles.locked_until IS NOT NULL THEN 1
                              ELSE login_throttles.failures + 1 END,
              window_start = CASE WHEN login_throttles.locked_until > {now} THEN login_throttles.window_start
                                  WHEN login_throttles.window_start <= {floor} OR login_throttles.locked_until IS NOT NULL THEN {now}
                                  ELSE login_throttles.window_start END,
              locked_until = CASE WHEN login_throttles.locked_until > {now} THEN login_throttles.locked_until
                                  WHEN login_throttles.window_start <= {floor} OR login_throttles.locked_until IS NOT NULL THEN NULL
                                  WHEN login_throttles.failures + 1 > {max} THEN {until}
                                  ELSE NULL END
            RETURNING failures, locked_until
            """).ToListAsync(ct);
        return (rows[0].Failures, Remaining(rows[0].LockedUntil, now));
    }

    /// <summary>Locks the target now (a failure that used up the last attempt); the time left on the lock.</summary>
    public async Task<TimeSpan> LockAsync(string key, LockPolicy policy, CancellationToken ct)
    {
        var now = time.UtcNow();
        var until = now + policy.LockFor;
        await db.LoginThrottles.Where(t => t.Key == key && !(t.LockedUntil > now))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LockedUntil, until), ct);
        return await LockedForAsync(key, ct) ?? policy.LockFor;
    }

    /// <summary>The time left on the target's lock, if it is locked.</summary>
    public async Task<TimeSpan?> LockedForAsync(string key, CancellationToken ct)
    {
        var now = time.UtcNow();
        var until = await db.LoginThrottles.Where(t => t.Key == key).Select(t => t.LockedUntil).FirstOrDefaultAsync(ct);
        return Remaining(until, now);
    }

    /// <summary>
    /// Clears the count after a right secret, unless the target was locked meanwhile by attempts
    /// counted in parallel: then the time left on the lock, and the caller must refuse.
    /// </summary>
    public async Task<TimeSpan?> SucceedAsync(string key, CancellationToken ct)
    {
        var now = time.UtcNow();
        var cleared = await db.LoginThrottles.Where(t => t.Key == key && !(t.LockedUntil > now)).ExecuteDeleteAsync(ct);
        if (cleared > 0)
        {
            return null;
        }

        return await LockedForAsync(key, ct);
    }

    /// <summary>Records a failed attempt on the audit trail (the count itself was taken before the check).</summary>
    public async Task AuditFailureAsync(AuditContext audit, string action, string entityType, string entityId, CancellationToken ct)
    {
        audit.Record(db, action, entityType, entityId, null, null, time.UtcNow());
        await db.SaveChangesAsync(ct);
    }

    private static TimeSpan? Remaining(DateTime? until, DateTime now) => until > now ? until - now : null;

    /// <summary>What the counting statement returns (public: EF materialises it).</summary>
    public sealed class CountRow
    {
        public int Failures { get; set; }
        public DateTime? LockedUntil { get; set; }
    }
}
