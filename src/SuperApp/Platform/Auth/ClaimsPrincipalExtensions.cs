using System.Security.Claims;

namespace SuperApp.Platform.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The caller's user id; only call behind RequireAuthorization.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : throw new InvalidOperationException("No authenticated user.");

    public static string Tier(this ClaimsPrincipal user) => user.FindFirstValue("tier") ?? "free";
}
