namespace SuperApp.Features.Users;

/// <summary>
/// Fields left out (null) stay as they are; an empty string clears an optional field. A phone number
/// is refused here: it changes only through the verified flow (<see cref="StartPhoneChange"/>).
/// </summary>
public sealed record UpdateMeRequest(
    [property: RegularExpression(UserRules.UsernamePattern, ErrorMessage = UserRules.UsernameMessage)] string? Username,
    [property: MaxLength(100)] string? DisplayName,
    [property: MaxLength(500)] string? Bio,
    [property: MaxLength(16)] string? PhoneNumber);

public static class UpdateMe
{
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> Handle(
        UpdateMeRequest request, ClaimsPrincipal principal, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = await db.Users.FindAsync([principal.UserId()], ct);
        if (user is null)
        {
            return Problems.NotFound();
        }

        if (request.PhoneNumber is not null)
        {
            // A phone number is an OTP login credential: it is set only by proof that its owner receives the code.
            return Problems.Validation("phoneNumber",
                "The phone number is changed with POST /api/users/me/phone and then POST /api/users/me/phone/verify.");
        }

        var username = request.Username?.Trim().ToLowerInvariant();
        if (await UserRules.FindConflictAsync(db, null, username, null, user.Id, ct) is { } conflict)
        {
            return conflict;
        }

        user.Username = username ?? user.Username;
        user.DisplayName = request.DisplayName is null ? user.DisplayName : NullIfEmpty(request.DisplayName);
        user.Bio = request.Bio is null ? user.Bio : NullIfEmpty(request.Bio);
        user.UpdatedAt = time.UtcNow();

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("ACCOUNT_EXISTS", "That username or phone number was just taken.");
        }

        return TypedResults.Ok(UserProfile.From(user));
    }

    private static string? NullIfEmpty(string value) => value.Trim() is { Length: > 0 } v ? v : null;
}
