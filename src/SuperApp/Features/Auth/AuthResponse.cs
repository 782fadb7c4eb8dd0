using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

public sealed record UserSummary(Guid Id, string Email, string Username, Role Role, Tier Tier)
{
    public static UserSummary From(User u) => new(u.Id, u.Email, u.Username, u.Role, u.Tier);
}

/// <summary>What register, login, refresh and OTP verify all answer.</summary>
public sealed record AuthResponse(UserSummary User, string AccessToken, string RefreshToken, int ExpiresIn);
