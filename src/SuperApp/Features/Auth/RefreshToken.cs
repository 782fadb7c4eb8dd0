using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Auth;

/// <summary>
/// A refresh token, stored only as a SHA-256 hash. Tokens issued from one login form a family:
/// each use replaces the token, and presenting a replaced one again revokes the whole family.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public Guid FamilyId { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public Guid? ReplacedById { get; set; }
    public string? RevokedReason { get; set; }

    /// <summary>The client that signed in or last refreshed, so the owner can tell their sessions apart.</summary>
    public string? UserAgent { get; set; }

    public string? Ip { get; set; }
}

public sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> b)
    {
        b.ToTable("refresh_tokens");
        b.Property(t => t.TokenHash).HasMaxLength(32);
        b.Property(t => t.RevokedReason).HasMaxLength(40);
        b.Property(t => t.UserAgent).HasMaxLength(200);
        b.Property(t => t.Ip).HasMaxLength(45);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.FamilyId);
        b.HasIndex(t => t.UserId);
        b.HasOne<Users.User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
