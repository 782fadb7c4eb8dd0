using SuperApp.Platform.Logging;
using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

public sealed record VerifyOtpRequest(
    [property: Required, RegularExpression(UserRules.PhonePattern, ErrorMessage = UserRules.PhoneMessage)] string PhoneNumber,
    [property: Required, RegularExpression("^[0-9]{6}$", ErrorMessage = "The code is 6 digits.")] string Code);

public static class VerifyOtp
{
    public static async Task<Results<Ok<AuthResponse>, ProblemHttpResult, RetryAfterResult>> Handle(
        VerifyOtpRequest request, HttpContext http, AppDbContext db, OtpCodes codes, TokenService tokens, LoginLockout lockout,
        TimeProvider time, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var now = time.UtcNow();
        var phone = request.PhoneNumber;
        var max = options.Value.OtpMaxAttempts;
        var key = Key(phone);
        var policy = lockout.OneTimeCodes;

        // Counted per number across resends, before the code is checked: a new code brings no new guesses.
        var (failures, locked) = await lockout.CountAttemptAsync(key, policy, ct);
        if (locked is { } wait)
        {
            return Login.LockedOut(wait);
        }

        // And per code, atomically, so parallel guesses cannot exceed either limit.
        var counted = await db.OtpChallenges
            .Where(c => c.PhoneNumber == phone && c.ConsumedAt == null && c.ExpiresAt > now && c.Attempts < max)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), ct);
        var challenge = counted == 1 ? await db.OtpChallenges.AsNoTracking().FirstAsync(c => c.PhoneNumber == phone, ct) : null;
        if (challenge is null)
        {
            var exhausted = await db.OtpChallenges.AnyAsync(c => c.PhoneNumber == phone && c.ConsumedAt == null && c.ExpiresAt > now, ct);
            return exhausted
                ? Problems.Of(StatusCodes.Status429TooManyRequests, "OTP_ATTEMPTS_EXCEEDED", "Too many wrong codes. Ask for a new one.")
                : Problems.Unauthorized("INVALID_OTP", "The code is wrong or has expired.");
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.PhoneNumber == phone && u.Status == UserStatus.Active, ct);
        if (user is null || !codes.Matches(challenge.CodeHash, phone, request.Code))
        {
            await lockout.AuditFailureAsync(AuditContext.From(http), "auth.otp_failed", "phone",
                SensitiveDataMasker.LastFour(phone), ct);
            if (challenge.Attempts >= max || failures >= policy.MaxFailures)
            {
                // The last guess of this code or of the hour: the number stays locked, whatever is resent.
                await lockout.LockAsync(key, policy, ct);
            }

            return Problems.Unauthorized("INVALID_OTP", "The code is wrong or has expired.");
        }

        // Single use: only the request that flips ConsumedAt may log in.
        var consumed = await db.OtpChallenges.Where(c => c.PhoneNumber == phone && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), ct);
        if (consumed == 0)
        {
            return Problems.Unauthorized("INVALID_OTP", "The code is wrong or has expired.");
        }

        if (await lockout.SucceedAsync(key, ct) is { } lockedMeanwhile)
        {
            return Login.LockedOut(lockedMeanwhile);
        }

        var response = tokens.Issue(db, user, http);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(response);
    }

    /// <summary>The lock key of a phone number, shared with sending so a locked number gets no new code.</summary>
    public static string Key(string phoneNumber) => "otp:" + phoneNumber;
}
