using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Premium;

public enum ContentStatus { Draft, Published }

/// <summary>
/// A creator's paid (or subscriber-only, or free) piece of content. Deletion is soft: buyers keep
/// their unlock records, so the row has to stay for them to point at.
/// </summary>
public sealed class PremiumContent : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CreatorId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public required string Category { get; set; }

    /// <summary>Minor units; 0 means free.</summary>
    public long Price { get; set; }

    public bool SubscriberOnly { get; set; }
    public List<string> Tags { get; set; } = [];
    public ContentStatus Status { get; set; } = ContentStatus.Draft;

    /// <summary>Kept in the unlock's own transaction, so "popular" needs no count over unlocks.</summary>
    public long UnlockCount { get; set; }

    /// <summary>Random name of the stored file inside the media folder; never a client's name.</summary>
    public string? MediaFile { get; set; }

    public string? MediaContentType { get; set; }
    public long? MediaSize { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>First publication; unpublishing and publishing again keeps it, so "recent" cannot be gamed.</summary>
    public DateTime? PublishedAt { get; set; }

    public DateTime? DeletedAt { get; set; }
}

public sealed class PremiumContentConfiguration : IEntityTypeConfiguration<PremiumContent>
{
    public void Configure(EntityTypeBuilder<PremiumContent> b)
    {
        b.ToTable("premium_contents", t =>
        {
            t.HasCheckConstraint("ck_premium_contents_price_not_negative", "price >= 0");
            t.HasCheckConstraint("ck_premium_contents_unlock_count_not_negative", "unlock_count >= 0");
        });
        b.Property(c => c.Title).HasMaxLength(200);
        b.Property(c => c.Description).HasMaxLength(2000);
        b.Property(c => c.Category).HasMaxLength(32);
        b.Property(c => c.Status).HasConversion(EnumText.Converter<ContentStatus>()).HasMaxLength(16);
        b.Property(c => c.MediaFile).HasMaxLength(64);
        b.Property(c => c.MediaContentType).HasMaxLength(64);
        // Browse reads published, not deleted content in one of three orders; each has its index.
        b.HasIndex(c => new { c.Status, c.PublishedAt, c.Id });
        b.HasIndex(c => new { c.Status, c.UnlockCount, c.Id });
        b.HasIndex(c => new { c.Status, c.Price, c.Id });
        b.HasIndex(c => new { c.Category, c.Status });
        b.HasIndex(c => new { c.CreatorId, c.Id });
    }
}
