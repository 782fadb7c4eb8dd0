using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Auth;

/// <summary>
/// Failed password attempts against one login target: a user id when the account exists, the
/// typed login otherwise, so unknown accounts lock exactly like real ones.
/// </summary>
public sealed class LoginThrottle
{
    public required string Key { get; set; }
    public int Failures { get; set; }
    public DateTime WindowStart { get; set; }
    public DateTime? LockedUntil { get; set; }
}

public sealed class LoginThrottleConfiguration : IEntityTypeConfiguration<LoginThrottle>
{
    public void Configure(EntityTypeBuilder<LoginThrottle> b)
    {
        b.ToTable("login_throttles");
        b.HasKey(t => t.Key);
        b.Property(t => t.Key).HasMaxLength(300);
    }
}
