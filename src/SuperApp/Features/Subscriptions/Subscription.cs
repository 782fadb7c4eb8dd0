using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Subscriptions;

/// <summary>
/// Active renews automatically when auto-renew is on; Cancelled will not renew but keeps access
/// until it expires; Expired has ended for good (a new subscription is a new row).
/// </summary>
public enum SubscriptionStatus { Active, Cancelled, Expired }

/// <summary>Why a subscription ended, so the subscriber can be told (stored as text: a new reason needs no migration).</summary>
public enum SubscriptionEndReason
{
    Lapsed, InsufficientFunds, PaymentRefused, PlanUnavailable,

    /// <summary>An admin refunded a charge of it; access ended at the refund.</summary>
    Refunded,

    /// <summary>The creator's account was deleted or suspended, so it was not renewed.</summary>
    CreatorUnavailable,
}

public sealed class Subscription : IHasId
{
    /// <summary>At most one live (not expired) subscription per subscriber and creator, kept by the database.</summary>
    public const string LivePairIndex = "ux_subscriptions_live_pair";

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SubscriberId { get; set; }
    public Guid CreatorId { get; set; }
    public PlanKind Plan { get; set; }

    /// <summary>
    /// The agreed price: what the subscriber consented to pay per period, and what renewals charge
    /// (manual or automatic), whatever the creator's plan costs now. It goes down when the creator
    /// lowers the plan's price, and up only when the subscriber renews naming the new price.
    /// </summary>
    public long Price { get; set; }

    public SubscriptionStatus Status { get; set; } = SubscriptionStatus.Active;
    public bool AutoRenew { get; set; } = true;
    public DateTime StartedAt { get; set; }

    /// <summary>Access ends here. Checks compare it with the clock, never trusting status alone.</summary>
    public DateTime ExpiresAt { get; set; }

    public DateTime? CancelledAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public SubscriptionEndReason? EndReason { get; set; }
    public Guid? LastTransactionId { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> b)
    {
        b.ToTable("subscriptions", t =>
        {
            t.HasCheckConstraint("ck_subscriptions_price_positive", "price > 0");
            t.HasCheckConstraint("ck_subscriptions_period", "expires_at > started_at");
        });
        b.Property(s => s.Plan).HasConversion(EnumText.Converter<PlanKind>()).HasMaxLength(16);
        b.Property(s => s.Status).HasConversion(EnumText.Converter<SubscriptionStatus>()).HasMaxLength(16);
        b.Property(s => s.EndReason).HasConversion(EnumText.Converter<SubscriptionEndReason>()).HasMaxLength(24);
        // A partial unique index: both PostgreSQL and SQLite enforce it, so a double subscribe race cannot win twice.
        b.HasIndex(s => new { s.SubscriberId, s.CreatorId }).IsUnique().HasFilter("status <> 'expired'")
            .HasDatabaseName(Subscription.LivePairIndex);
        b.HasIndex(s => new { s.SubscriberId, s.Id }).IsDescending(false, true);
        b.HasIndex(s => new { s.CreatorId, s.Id }).IsDescending(false, true);
        b.HasIndex(s => new { s.Status, s.ExpiresAt });
    }
}
