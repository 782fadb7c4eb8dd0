using SuperApp.Features.Auth;
using SuperApp.Platform.Logging;

namespace SuperApp.Features.Users;

public sealed record VerifyPhoneChangeRequest([property: Required,
    RegularExpression("^[0-9]{6}$", ErrorMessage = "The code is 6 digits.")] string Code);

/// <summary>Sets the pending number once its code is proved; guesses are limited like login codes and audited.</summary>
public static class VerifyPhoneChange
{
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult, RetryAfterResult>> Handle(
        VerifyPhoneChangeRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, OtpCodes codes,
        LoginLockout lockout, TimeProvider time, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var userId = principal.UserId();
        var now = time.UtcNow();
        var key = $"phone-change:{userId}";
        var (_, locked) = await lockout.CountAttemptAsync(key, lockout.OneTimeCodes, ct);
        if (locked is { } wait)
        {
            return Login.LockedOut(wait);
        }

        // Per number too: many accounts asking codes for one number must not add up to more guesses at it.
        var target = await db.PhoneChanges.Where(p => p.UserId == userId).Select(p => p.PhoneNumber).FirstOrDefaultAsync(ct);
        if (target is not null
            && (await lockout.CountAttemptAsync("phone-target:" + target, lockout.OneTimeCodes, ct)).Locked is { } numberWait)
        {
            return Login.LockedOut(numberWait);
        }

        var max = options.Value.OtpMaxAttempts;
        var counted = await db.PhoneChanges.Where(p => p.UserId == userId && p.ExpiresAt > now && p.Attempts < max)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Attempts, p => p.Attempts + 1), ct);
        var pending = counted == 1 ? await db.PhoneChanges.AsNoTracking().FirstAsync(p => p.UserId == userId, ct) : null;
        var audit = AuditContext.From(http);
        if (pending is null || !codes.Matches(pending.CodeHash, pending.PhoneNumber, request.Code))
        {
            await lockout.AuditFailureAsync(audit, "auth.phone_change_failed", "user", userId.ToString(), ct);
            return Problems.Unauthorized("INVALID_OTP", "The code is wrong or has expired.");
        }

        var user = await db.Users.FirstAsync(u => u.Id == userId, ct);
        if (await UserRules.FindConflictAsync(db, null, null, pending.PhoneNumber, userId, ct) is { } conflict)
        {
            return conflict;
        }

        var before = user.PhoneNumber;
        user.PhoneNumber = pending.PhoneNumber;
        user.UpdatedAt = now;
        db.PhoneChanges.Remove(await db.PhoneChanges.FirstAsync(p => p.UserId == userId, ct));
        audit.Record(db, "user.phone_changed", "user", userId.ToString(),
            new { phone = before is null ? null : SensitiveDataMasker.LastFour(before) },
            new { phone = SensitiveDataMasker.LastFour(pending.PhoneNumber) }, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("PHONE_TAKEN", "That phone number was just registered by another account.");
        }

        await lockout.SucceedAsync(key, ct);
        await lockout.SucceedAsync("phone-target:" + user.PhoneNumber, ct);
        return TypedResults.Ok(UserProfile.From(user));
    }
}
