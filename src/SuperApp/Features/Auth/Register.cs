using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

public sealed record RegisterRequest(
    [property: Required, EmailAddress, MaxLength(254)] string Email,
    [property: Required, RegularExpression(UserRules.UsernamePattern, ErrorMessage = UserRules.UsernameMessage)] string Username,
    [property: Required, StringLength(128, MinimumLength = 8)] string Password,
    [property: MaxLength(100)] string? DisplayName,
    [property: RegularExpression(UserRules.PhonePattern, ErrorMessage = UserRules.PhoneMessage)] string? PhoneNumber);

public static class Register
{
    public static async Task<Results<Created<AuthResponse>, ProblemHttpResult>> Handle(
        RegisterRequest request, HttpContext http, AppDbContext db, Passwords passwords, TokenService tokens, TimeProvider time,
        OtpCodes codes, ISmsSender sms, IOptions<AuthOptions> options, CancellationToken ct)
    {
        var email = request.Email.Trim().ToLowerInvariant();
        var username = request.Username.Trim().ToLowerInvariant();
        if (await UserRules.FindConflictAsync(db, email, username, request.PhoneNumber, null, ct) is { } conflict)
        {
            return conflict;
        }

        var now = time.UtcNow();
        var user = new User
        {
            Email = email,
            Username = username,
            DisplayName = request.DisplayName?.Trim(),
            PasswordHash = "",
            CreatedAt = now,
            UpdatedAt = now,
        };
        using (var slot = await passwords.ReserveAsync(ct))
        {
            user.PasswordHash = slot.Hash(user, request.Password);
        }

        db.Users.Add(user);
        var response = tokens.Issue(db, user, http);

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Lost a race with a concurrent registration of the same email, username or phone.
            return Problems.Conflict("ACCOUNT_EXISTS", "An account with these details already exists.");
        }

        if (request.PhoneNumber is { } phone)
        {
            // Not a login credential until proved: the number gets a code, and POST /api/users/me/phone/verify sets it.
            await StartPhoneChange.SendCodeAsync(db, codes, sms, options.Value, null, user.Id, phone, now, ct);
        }

        return TypedResults.Created($"/api/users/{user.Id}", response);
    }
}
