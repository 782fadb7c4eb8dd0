namespace SuperApp.Features.Users;

/// <summary>The owner's view of an account.</summary>
public sealed record UserProfile(
    Guid Id, string Email, string Username, string? DisplayName, string? Bio, string? PhoneNumber,
    Role Role, Tier Tier, UserStatus Status, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static UserProfile From(User u) =>
        new(u.Id, u.Email, u.Username, u.DisplayName, u.Bio, u.PhoneNumber, u.Role, u.Tier, u.Status, u.CreatedAt, u.UpdatedAt);
}

/// <summary>What anyone may see of an account.</summary>
public sealed record PublicProfile(Guid Id, string Username, string? DisplayName, string? Bio, Role Role, DateTime CreatedAt)
{
    public static PublicProfile From(User u) => new(u.Id, u.Username, u.DisplayName, u.Bio, u.Role, u.CreatedAt);
}
