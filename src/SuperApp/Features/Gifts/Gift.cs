using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SuperApp.Features.Ledger;
using SuperApp.Features.Users;

namespace SuperApp.Features.Gifts;

/// <summary>
/// One gift send. The money moved in its ledger transaction; this row keeps what was sent, to
/// whom and the split, for the sent/received lists.
/// </summary>
public sealed class Gift : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SenderId { get; set; }
    public Guid RecipientId { get; set; }
    public required string GiftType { get; set; }
    public int Quantity { get; set; }
    public long UnitPrice { get; set; }
    public long Amount { get; set; }
    public long CreatorShare { get; set; }
    public long PlatformFee { get; set; }
    public string? Message { get; set; }
    public Guid TransactionId { get; set; }

    /// <summary>The shard of the receiver's leaderboard rows this gift added to, so a refund takes it off the same rows.</summary>
    public int LeaderboardShard { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class GiftConfiguration : IEntityTypeConfiguration<Gift>
{
    public void Configure(EntityTypeBuilder<Gift> b)
    {
        b.ToTable("gifts", t => t.HasCheckConstraint("ck_gifts_amounts",
            "quantity BETWEEN 1 AND 100 AND unit_price > 0 AND amount = unit_price * quantity " +
            "AND creator_share >= 0 AND platform_fee >= 0 " +
            "AND amount = creator_share + platform_fee AND sender_id <> recipient_id"));
        b.Property(g => g.GiftType).HasMaxLength(32);
        b.Property(g => g.Message).HasMaxLength(200);
        b.HasOne<User>().WithMany().HasForeignKey(g => g.SenderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(g => g.RecipientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LedgerTransaction>().WithMany().HasForeignKey(g => g.TransactionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(g => g.TransactionId).IsUnique();
        // The sent and received lists page per user, newest first; ids are time-ordered.
        b.HasIndex(g => new { g.SenderId, g.Id }).IsDescending(false, true);
        b.HasIndex(g => new { g.RecipientId, g.Id }).IsDescending(false, true);
    }
}

public sealed record GiftParty(Guid Id, string Username);

/// <summary>A gift as the sent and received lists show it.</summary>
public sealed record GiftItem(
    Guid Id, string GiftType, string GiftName, int Quantity, long UnitPrice, long Amount, long CreatorShare, string Currency,
    GiftParty Sender, GiftParty Recipient, string? Message, Guid TransactionId, DateTime CreatedAt);
