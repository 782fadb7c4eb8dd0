using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SuperApp.Data;

namespace SuperApp.Features.Wallet;

public enum TopupStatus { Pending, Succeeded, Failed, Cancelled }

/// <summary>A request to add money, completed only by the payment provider's signed webhook.</summary>
public sealed class Topup
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public long Amount { get; set; }
    public required string Provider { get; set; }
    public required string ProviderReference { get; set; }
    public TopupStatus Status { get; set; } = TopupStatus.Pending;
    public Guid? TransactionId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public sealed class TopupConfiguration : IEntityTypeConfiguration<Topup>
{
    public void Configure(EntityTypeBuilder<Topup> b)
    {
        b.ToTable("topups", t => t.HasCheckConstraint("ck_topups_amount_positive", "amount > 0"));
        b.Property(t => t.Provider).HasMaxLength(32);
        b.Property(t => t.ProviderReference).HasMaxLength(100);
        b.Property(t => t.Status).HasConversion(EnumText.Converter<TopupStatus>()).HasMaxLength(16);
        b.HasIndex(t => new { t.Provider, t.ProviderReference }).IsUnique();
        b.HasIndex(t => new { t.UserId, t.CreatedAt });
    }
}
