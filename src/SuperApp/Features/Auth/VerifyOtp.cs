using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Features.Users;
using SuperApp.Platform.Errors;

namespace SuperApp.Features.Auth;

public sealed record VerifyOtpRequest(
    [property: Required, RegularExpression(UserRules.PhonePattern, ErrorMessage = UserRules.PhoneMessage)] string PhoneNumber,
    [property: Required, RegularExpression("^[0-9]{6}$", ErrorMessage = "The code is 6 digits.")] string Code);

public static class VerifyOtp
{
    public static async Task<Results<Ok<AuthResponse>, ProblemHttpResult>> Handle(
        VerifyOtpRequest request, AppDbContext db, OtpCodes codes, TokenService tokens, TimeProvider time,
        IOptions<AuthOptions> options, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var phone = request.PhoneNumber;
        var max = options.Value.OtpMaxAttempts;

        // Count the attempt before checking it, atomically, so parallel guesses cannot exceed the limit.
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
            return Problems.Unauthorized("INVALID_OTP", "The code is wrong or has expired.");
        }

        // Single use: only the request that flips ConsumedAt may log in.
        var consumed = await db.OtpChallenges.Where(c => c.PhoneNumber == phone && c.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConsumedAt, now), ct);
        if (consumed == 0)
        {
            return Problems.Unauthorized("INVALID_OTP", "The code is wrong or has expired.");
        }

        var response = tokens.Issue(db, user);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(response);
    }
}
