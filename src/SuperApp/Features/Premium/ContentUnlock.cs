using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Premium;

/// <summary>
/// A buyer's permanent access to one piece of content, written in the same transaction as the
/// payment. The unique (user, content) index is what makes a second purchase impossible.
/// </summary>
public sealed class ContentUnlock : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public Guid ContentId { get; set; }

    /// <summary>What was paid, since the creator may change the price later. The payment is the ledger
    /// transaction with reference <c>unlock:{Id}</c>.</summary>
    public long Price { get; set; }

    public DateTime CreatedAt { get; set; }
}

public sealed class ContentUnlockConfiguration : IEntityTypeConfiguration<ContentUnlock>
{
    public void Configure(EntityTypeBuilder<ContentUnlock> b)
    {
        b.ToTable("premium_unlocks", t => t.HasCheckConstraint("ck_premium_unlocks_price_positive", "price > 0"));
        b.HasIndex(u => new { u.UserId, u.ContentId }).IsUnique();
        b.HasIndex(u => new { u.UserId, u.Id });
        b.HasIndex(u => u.ContentId);
        b.HasOne<PremiumContent>().WithMany().HasForeignKey(u => u.ContentId).OnDelete(DeleteBehavior.Restrict);
    }
}
