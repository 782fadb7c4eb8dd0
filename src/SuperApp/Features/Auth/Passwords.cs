using Microsoft.AspNetCore.Identity;
using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

/// <summary>
/// PBKDF2 via ASP.NET Core Identity's hasher. Unknown accounts are checked against a dummy hash
/// so they take as long as a wrong password and timing does not reveal which accounts exist.
/// </summary>
public sealed class Passwords(IPasswordHasher<User> hasher)
{
    private static readonly User Dummy = new() { Email = "", Username = "", PasswordHash = "" };
    private readonly Lazy<string> _dummyHash = new(() => hasher.HashPassword(Dummy, Guid.NewGuid().ToString()));

    public string Hash(User user, string password) => hasher.HashPassword(user, password);

    /// <summary>True when the password matches; rehashes in place when the stored hash is outdated.</summary>
    public bool Verify(User? user, string password)
    {
        if (user is null || user.Status != UserStatus.Active)
        {
            hasher.VerifyHashedPassword(Dummy, _dummyHash.Value, password);
            return false;
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        return result != PasswordVerificationResult.Failed;
    }
}
