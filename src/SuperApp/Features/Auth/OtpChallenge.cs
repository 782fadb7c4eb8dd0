using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Auth;

/// <summary>
/// The current one-time code for a phone number (one row per number, whether or not an account
/// has it, so answers and timings do not tell the two apart). The code is kept only as an HMAC.
/// </summary>
public sealed class OtpChallenge
{
    public required string PhoneNumber { get; set; }
    public required byte[] CodeHash { get; set; }
    public DateTime SentAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? ConsumedAt { get; set; }
}

public sealed class OtpChallengeConfiguration : IEntityTypeConfiguration<OtpChallenge>
{
    public void Configure(EntityTypeBuilder<OtpChallenge> b)
    {
        b.ToTable("otp_challenges");
        b.HasKey(o => o.PhoneNumber);
        b.Property(o => o.PhoneNumber).HasMaxLength(16);
        b.Property(o => o.CodeHash).HasMaxLength(32);
    }
}
