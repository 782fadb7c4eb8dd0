namespace SuperApp.Features.Users;

/// <summary>Shared input rules for accounts.</summary>
public static class UserRules
{
    public const string UsernamePattern = "^[A-Za-z0-9_.]{3,30}$";
    public const string UsernameMessage = "Usernames are 3-30 letters, digits, '_' or '.'.";
    public const string PhonePattern = @"^\+[1-9][0-9]{7,14}$";
    public const string PhoneMessage = "Phone numbers are in E.164 form, e.g. +6281234567890.";

    /// <summary>A 409 naming the first field already taken by another account, or null.</summary>
    public static async Task<ProblemHttpResult?> FindConflictAsync(
        AppDbContext db, string? email, string? username, string? phone, Guid? exceptUserId, CancellationToken ct)
    {
        var taken = await db.Users
            .Where(u => u.Id != exceptUserId && (u.Email == email || u.Username == username || (phone != null && u.PhoneNumber == phone)))
            .Select(u => new { u.Email, u.Username, u.PhoneNumber })
            .FirstOrDefaultAsync(ct);

        return taken switch
        {
            null => null,
            _ when taken.Email == email => Problems.Conflict("EMAIL_TAKEN", "That email is already registered."),
            _ when taken.Username == username => Problems.Conflict("USERNAME_TAKEN", "That username is taken."),
            _ => Problems.Conflict("PHONE_TAKEN", "That phone number is already registered."),
        };
    }
}
