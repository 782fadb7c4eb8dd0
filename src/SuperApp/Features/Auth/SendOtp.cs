using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

public sealed record SendOtpRequest(
    [property: Required, RegularExpression(UserRules.PhonePattern, ErrorMessage = UserRules.PhoneMessage)] string PhoneNumber);

public sealed record SendOtpResponse(string Message, int ExpiresIn);

public static class SendOtp
{
    public static async Task<Results<Accepted<SendOtpResponse>, RetryAfterResult>> Handle(
        SendOtpRequest request, AppDbContext db, OtpCodes codes, ISmsSender sms, LoginLockout lockout, TimeProvider time,
        IOptions<AuthOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.UtcNow();
        var phone = request.PhoneNumber;
        if (await lockout.LockedForAsync(VerifyOtp.Key(phone), ct) is { } locked)
        {
            return Login.LockedOut(locked); // a new code would be a fresh set of guesses
        }

        var challenge = await db.OtpChallenges.FirstOrDefaultAsync(c => c.PhoneNumber == phone, ct);
        if (challenge is not null && now - challenge.SentAt < o.OtpResendInterval)
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "OTP_RESEND_TOO_SOON",
                "A code was sent recently. Wait before asking again.")
                .WithRetryAfter(o.OtpResendInterval - (now - challenge.SentAt));
        }

        var code = OtpCodes.NewCode();
        if (challenge is null)
        {
            challenge = new OtpChallenge { PhoneNumber = phone, CodeHash = [] };
            db.OtpChallenges.Add(challenge);
        }

        challenge.CodeHash = codes.Hash(phone, code);
        challenge.SentAt = now;
        challenge.ExpiresAt = now + o.OtpLifetime;
        challenge.Attempts = 0;
        challenge.ConsumedAt = null;
        await db.SaveChangesAsync(ct);

        // Only registered, active numbers get a message; the answer is the same either way.
        if (await db.Users.AnyAsync(u => u.PhoneNumber == phone && u.Status == UserStatus.Active, ct))
        {
            await sms.SendAsync(phone, $"Your SuperApp login code is {code}. It expires in {(int)o.OtpLifetime.TotalMinutes} minutes.", ct);
        }

        return TypedResults.Accepted((string?)null,
            new SendOtpResponse("If the number is registered, a code is on its way.", (int)o.OtpLifetime.TotalSeconds));
    }
}
