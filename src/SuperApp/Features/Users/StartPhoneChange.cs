using SuperApp.Features.Auth;

namespace SuperApp.Features.Users;

public sealed record StartPhoneChangeRequest(
    [property: Required, RegularExpression(UserRules.PhonePattern, ErrorMessage = UserRules.PhoneMessage)] string PhoneNumber);

/// <summary>Sends a code to the new number; <see cref="VerifyPhoneChange"/> sets it once the code comes back.</summary>
public static class StartPhoneChange
{
    public static async Task<Results<Accepted<SendOtpResponse>, ProblemHttpResult, RetryAfterResult>> Handle(
        StartPhoneChangeRequest request, ClaimsPrincipal principal, AppDbContext db, OtpCodes codes, ISmsSender sms,
        TimeProvider time, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var o = options.Value;
        var userId = principal.UserId();
        var phone = request.PhoneNumber;
        var now = time.UtcNow();
        if (await UserRules.FindConflictAsync(db, null, null, phone, userId, ct) is { } conflict)
        {
            return conflict;
        }

        var pending = await db.PhoneChanges.FirstOrDefaultAsync(p => p.UserId == userId, ct);
        if (pending is not null && now - pending.SentAt < o.OtpResendInterval)
        {
            return Problems.Of(StatusCodes.Status429TooManyRequests, "OTP_RESEND_TOO_SOON",
                "A code was sent recently. Wait before asking again.")
                .WithRetryAfter(o.OtpResendInterval - (now - pending.SentAt));
        }

        await SendCodeAsync(db, codes, sms, o, pending, userId, phone, now, ct);
        return TypedResults.Accepted((string?)null,
            new SendOtpResponse("A code is on its way to the new number.", (int)o.OtpLifetime.TotalSeconds));
    }

    /// <summary>Texts a new code for <paramref name="phone"/> and records it as the user's pending number (also at registration).</summary>
    public static async Task SendCodeAsync(AppDbContext db, OtpCodes codes, ISmsSender sms, AuthOptions o, PhoneChange? pending,
        Guid userId, string phone, DateTime now, CancellationToken ct)
    {
        var code = OtpCodes.NewCode();
        if (pending is null)
        {
            pending = new PhoneChange { UserId = userId, PhoneNumber = phone, CodeHash = [] };
            db.PhoneChanges.Add(pending);
        }

        pending.PhoneNumber = phone;
        pending.CodeHash = codes.Hash(phone, code);
        pending.SentAt = now;
        pending.ExpiresAt = now + o.OtpLifetime;
        pending.Attempts = 0;
        await db.SaveChangesAsync(ct);
        await sms.SendAsync(phone,
            $"Your SuperApp code to add this number is {code}. It expires in {(int)o.OtpLifetime.TotalMinutes} minutes.", ct);
    }
}
