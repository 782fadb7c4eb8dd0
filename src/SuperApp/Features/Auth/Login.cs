namespace SuperApp.Features.Auth;

public sealed record LoginRequest(
    [property: Required, MaxLength(254)] string Login,
    [property: Required, MaxLength(128)] string Password);

public static class Login
{
    public static async Task<Results<Ok<AuthResponse>, ProblemHttpResult, RetryAfterResult>> Handle(
        LoginRequest request, HttpContext http, AppDbContext db, Passwords passwords, TokenService tokens, LoginLockout lockout,
        CancellationToken ct)
    {
        var login = request.Login.Trim().ToLowerInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == login || u.Username == login, ct);
        var key = user is null ? $"login:{login}" : $"user:{user.Id}";

        // The hashing slot first: refused for load, the attempt is not counted against the account.
        using var slot = await passwords.ReserveAsync(ct);
        // Counted before the hash is checked: a parallel burst gets no more checks than the limit.
        var policy = lockout.Passwords;
        var (failures, locked) = await lockout.CountAttemptAsync(key, policy, ct);
        if (locked is { } wait)
        {
            return LockedOut(wait);
        }

        if (!slot.Verify(user, request.Password))
        {
            await lockout.AuditFailureAsync(AuditContext.From(http), "auth.login_failed", "user", user?.Id.ToString() ?? "unknown", ct);
            return failures >= policy.MaxFailures
                ? LockedOut(await lockout.LockAsync(key, policy, ct))
                : Problems.Unauthorized("INVALID_CREDENTIALS", "The login or password is incorrect.");
        }

        if (await lockout.SucceedAsync(key, ct) is { } lockedMeanwhile)
        {
            return LockedOut(lockedMeanwhile); // locked by attempts counted while this one was being checked
        }

        var response = tokens.Issue(db, user!, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(response);
    }

    public static RetryAfterResult LockedOut(TimeSpan wait) =>
        Problems.Of(StatusCodes.Status429TooManyRequests, "TOO_MANY_ATTEMPTS",
            "Too many failed attempts. Try again later.", $"Retry after {Math.Ceiling(wait.TotalSeconds)} seconds.")
            .WithRetryAfter(wait);
}
