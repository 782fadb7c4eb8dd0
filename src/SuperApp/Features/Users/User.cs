namespace SuperApp.Features.Users;

public enum Role { User, Creator, Admin }

public enum Tier { Free, Premium, Creator, Admin }

public enum UserStatus { Active, Suspended, Deleted }

public sealed class User : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Email { get; set; }
    public required string Username { get; set; }
    public string? PhoneNumber { get; set; }
    public string? DisplayName { get; set; }
    public string? Bio { get; set; }
    public required string PasswordHash { get; set; }
    public Role Role { get; private set; } = Role.User;
    public Tier Tier { get; private set; } = Tier.Free;
    public UserStatus Status { get; set; } = UserStatus.Active;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Access tokens issued before this are refused (set by a password change: a stolen token dies with it).</summary>
    public DateTime? TokensValidAfter { get; set; }

    /// <summary>Creators and admins have the tier of their role; plain users are free or premium.</summary>
    public void SetRole(Role role)
    {
        Role = role;
        Tier = role switch
        {
            Role.Creator => Tier.Creator,
            Role.Admin => Tier.Admin,
            _ => Tier is Tier.Premium ? Tier.Premium : Tier.Free,
        };
    }

    /// <summary>Only plain users choose between free and premium; other tiers follow the role.</summary>
    public bool TrySetTier(Tier tier)
    {
        if (Role != Role.User || tier is not (Tier.Free or Tier.Premium))
        {
            return tier == Tier;
        }

        Tier = tier;
        return true;
    }
}
