using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SuperApp.Data;
using SuperApp.Platform.Errors;

namespace SuperApp.Features.Auth;

public sealed record LoginRequest(
    [property: Required, MaxLength(254)] string Login,
    [property: Required, MaxLength(128)] string Password);

public static class Login
{
    public static async Task<Results<Ok<AuthResponse>, ProblemHttpResult, RetryAfterResult>> Handle(
        LoginRequest request, AppDbContext db, Passwords passwords, TokenService tokens, LoginLockout lockout, CancellationToken ct)
    {
        var login = request.Login.Trim().ToLowerInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == login || u.Username == login, ct);
        var key = user is null ? $"login:{login}" : $"user:{user.Id}";

        if (await lockout.RetryAfterAsync(key, ct) is { } wait)
        {
            return LockedOut(wait);
        }

        if (!passwords.Verify(user, request.Password))
        {
            var lockedFor = await lockout.RecordFailureAsync(key, ct);
            if (lockedFor is { } w)
            {
                return LockedOut(w);
            }

            return Problems.Unauthorized("INVALID_CREDENTIALS", "The login or password is incorrect.");
        }

        await lockout.ResetAsync(key, ct);
        var response = tokens.Issue(db, user!);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(response);
    }

    private static RetryAfterResult LockedOut(TimeSpan wait) =>
        Problems.Of(StatusCodes.Status429TooManyRequests, "TOO_MANY_ATTEMPTS",
            "Too many failed attempts. Try again later.", $"Retry after {Math.Ceiling(wait.TotalSeconds)} seconds.")
            .WithRetryAfter(wait);
}
