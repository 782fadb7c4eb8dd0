using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Wallet;

/// <summary>
/// Pending until the provider reports. Paid becomes Succeeded (credited) or Held (money in suspense,
/// the wallet could not take it); Held ends Succeeded (released) or Refunded. A Succeeded top-up the
/// provider takes back becomes ChargedBack.
/// </summary>
public enum TopupStatus
{
    Pending, Succeeded, Failed, Cancelled, Held, Refunded, ChargedBack,

    /// <summary>
    /// A held top-up whose refund was asked of the provider without a clear answer yet: the money is
    /// still in suspense, it cannot be released, and asking again gets the provider's one refund.
    /// </summary>
    Refunding,
}

/// <summary>A request to add money, completed only by the payment provider's signed webhook.</summary>
public sealed class Topup : IHasId
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

    /// <summary>Why a paid top-up could not be credited (held), e.g. <c>WALLET_FROZEN</c>.</summary>
    public string? HeldReason { get; set; }

    /// <summary>The admin who released or refunded a held top-up, when, and why.</summary>
    public Guid? ResolvedBy { get; set; }

    public DateTime? ResolvedAt { get; set; }
    public string? ResolutionNote { get; set; }
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
        b.Property(t => t.HeldReason).HasMaxLength(200);
        b.Property(t => t.ResolutionNote).HasMaxLength(500);
        b.HasIndex(t => new { t.UserId, t.CreatedAt });
        b.HasIndex(t => new { t.Status, t.CreatedAt });
    }
}

/// <summary>A top-up as its owner and admins see it.</summary>
public sealed record TopupDetails(
    Guid TopupId, Guid UserId, long Amount, string Currency, TopupStatus Status, string Provider, string Reference,
    DateTime CreatedAt, DateTime? CompletedAt, string? HeldReason, DateTime? ResolvedAt, string? ResolutionNote)
{
    public static TopupDetails From(Topup t, string currency) => new(
        t.Id, t.UserId, t.Amount, currency, t.Status, t.Provider, t.ProviderReference, t.CreatedAt, t.CompletedAt, t.HeldReason,
        t.ResolvedAt, t.ResolutionNote);
}
