using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Users;

/// <summary>
/// A phone number a user asked to set, waiting for the code sent to it. One per user; the number
/// becomes theirs (and an OTP login credential) only once they prove they receive its messages.
/// </summary>
public sealed class PhoneChange
{
    public Guid UserId { get; set; }
    public required string PhoneNumber { get; set; }
    public required byte[] CodeHash { get; set; }
    public DateTime SentAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public int Attempts { get; set; }
}

public sealed class PhoneChangeConfiguration : IEntityTypeConfiguration<PhoneChange>
{
    public void Configure(EntityTypeBuilder<PhoneChange> b)
    {
        b.ToTable("phone_changes");
        b.HasKey(p => p.UserId);
        b.Property(p => p.PhoneNumber).HasMaxLength(16);
        b.Property(p => p.CodeHash).HasMaxLength(32);
        b.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
