using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Users;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.Property(u => u.Email).HasMaxLength(254);
        b.Property(u => u.Username).HasMaxLength(40);
        b.Property(u => u.PhoneNumber).HasMaxLength(16);
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.Property(u => u.Bio).HasMaxLength(500);
        b.Property(u => u.PasswordHash).HasMaxLength(200);
        b.Property(u => u.Role).HasConversion(EnumText.Converter<Role>()).HasMaxLength(16);
        b.Property(u => u.Tier).HasConversion(EnumText.Converter<Tier>()).HasMaxLength(16);
        b.Property(u => u.Status).HasConversion(EnumText.Converter<UserStatus>()).HasMaxLength(16);

        // Emails and usernames are stored lower-cased, so plain unique indexes are case-insensitive.
        b.HasIndex(u => u.Email).IsUnique();
        b.HasIndex(u => u.Username).IsUnique();
        b.HasIndex(u => u.PhoneNumber).IsUnique();
        b.HasIndex(u => new { u.Email, u.Status });
        b.HasIndex(u => u.Role);
        b.HasIndex(u => u.CreatedAt);
    }
}
