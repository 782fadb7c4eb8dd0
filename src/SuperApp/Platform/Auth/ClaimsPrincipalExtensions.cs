namespace SuperApp.Platform.Auth;

/// <summary>The claims an access token carries, by the names it carries them under.</summary>
public static class ClaimNames
{
    public const string UserId = "sub";
    public const string Role = "role";
    public const string Tier = "tier";
    public const string SessionId = "sid";
    public const string IssuedAt = "iat";
    public const string TokenId = "jti";
}

/// <summary>The one place claims are read: features and the platform ask these, never a claim name.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The caller's user id; only call behind RequireAuthorization.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        user.UserIdOrNull() ?? throw new InvalidOperationException("No authenticated user.");

    public static Guid? UserIdOrNull(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimNames.UserId), out var id) ? id : null;

    public static string Tier(this ClaimsPrincipal user) => user.FindFirstValue(ClaimNames.Tier) ?? "free";

    public static string? Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimNames.Role);

    /// <summary>The sign-in (refresh-token family) the token belongs to, when it names one.</summary>
    public static Guid? SessionId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimNames.SessionId), out var sid) ? sid : null;

    /// <summary>When the token was issued, in whole seconds as JWTs carry it; MinValue when absent.</summary>
    public static DateTime IssuedAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimNames.IssuedAt), out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat)
            .UtcDateTime : DateTime.MinValue;
}
