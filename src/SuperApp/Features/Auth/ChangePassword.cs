using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Auth;

public sealed record ChangePasswordRequest(
    [property: Required, MaxLength(128)] string CurrentPassword,
    [property: Required, StringLength(128, MinimumLength = 8)] string NewPassword);

/// <summary>
/// Changes the password and ends every session, answering with a fresh token pair for this one:
/// whoever else held a token or refresh token (say, after a takeover) is signed out at once.
/// </summary>
public static class ChangePassword
{
    public static async Task<Results<Ok<AuthResponse>, ProblemHttpResult, RetryAfterResult>> Handle(
        ChangePasswordRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, Passwords passwords,
        TokenService tokens, LoginLockout lockout, UserStatuses statuses, TimeProvider time, CancellationToken ct)
    {
        if (request.NewPassword == request.CurrentPassword)
        {
            return Problems.Validation("newPassword", "The new password must differ from the current one.");
        }

        var user = await db.Users.FirstAsync(u => u.Id == principal.UserId(), ct);
        var key = $"user:{user.Id}";
        using var slot = await passwords.ReserveAsync(ct);
        // The current password is guessed like a login, so it counts against the same lock.
        var (failures, locked) = await lockout.CountAttemptAsync(key, lockout.Passwords, ct);
        if (locked is { } wait)
        {
            return Login.LockedOut(wait);
        }

        var audit = AuditContext.From(http);
        if (!slot.Verify(user, request.CurrentPassword))
        {
            await lockout.AuditFailureAsync(audit, "auth.password_change_failed", "user", user.Id.ToString(), ct);
            return failures >= lockout.Passwords.MaxFailures
                ? Login.LockedOut(await lockout.LockAsync(key, lockout.Passwords, ct))
                : Problems.Forbidden("INVALID_CREDENTIALS", "The current password is incorrect.");
        }

        await lockout.SucceedAsync(key, ct);
        var now = time.UtcNow();
        user.PasswordHash = slot.Hash(user, request.NewPassword);
        // Whole seconds, as tokens carry their issue time: the fresh token below is not older than this.
        user.TokensValidAfter = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        user.UpdatedAt = now;
        await Refresh.RevokeFamiliesOfUserAsync(db, user.Id, "password-changed", now, ct);
        audit.Record(db, "auth.password_changed", "user", user.Id.ToString(), null, new { sessionsEnded = true }, now);
        var response = tokens.Issue(db, user, http);
        await db.SaveChangesAsync(ct);
        await statuses.ForgetAsync(user.Id);
        return TypedResults.Ok(response);
    }
}
