using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Ledger;

public enum TransactionKind
{
    Topup, Transfer, Unlock, Subscription, Gift, Settlement, Withdrawal, WithdrawalFee, WithdrawalReversal, Adjustment,

    /// <summary>A held top-up moved from suspense to its wallet by an admin.</summary>
    TopupRelease,

    /// <summary>A held top-up sent back to the payer through the provider.</summary>
    TopupRefund,

    /// <summary>The provider took a paid top-up back.</summary>
    Chargeback,

    /// <summary>A purchase (unlock, gift, subscription) given back to the buyer.</summary>
    Refund,
}

/// <summary>Groups of kinds that several features ask about.</summary>
public static class TransactionKinds
{
    /// <summary>What a buyer pays a creator for: spending limits count these, creator earnings come from them, refunds undo them.</summary>
    public static readonly TransactionKind[] Purchases = [TransactionKind.Unlock, TransactionKind.Subscription, TransactionKind.Gift];
}

/// <summary>One movement of money: two or more entries that sum to zero.</summary>
public sealed class LedgerTransaction
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public TransactionKind Kind { get; set; }

    /// <summary>The headline amount (what the user sees), always positive.</summary>
    public long Amount { get; set; }

    public required string Currency { get; set; }
    public Guid? ActorId { get; set; }
    public string? Note { get; set; }

    /// <summary>What caused it, e.g. <c>topup:{id}</c>; unique where set, so a cause posts once.</summary>
    public string? Reference { get; set; }

    public string? RequestId { get; set; }
    public Guid? IdempotencyRecordId { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<LedgerEntry> Entries { get; set; } = [];
}

public sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> b)
    {
        b.ToTable("ledger_transactions", t => t.HasCheckConstraint("ck_ledger_transactions_amount_positive", "amount > 0"));
        b.Property(t => t.Kind).HasConversion(EnumText.Converter<TransactionKind>()).HasMaxLength(24);
        b.Property(t => t.Currency).HasMaxLength(3);
        b.Property(t => t.Note).HasMaxLength(200);
        b.Property(t => t.Reference).HasMaxLength(100);
        b.Property(t => t.RequestId).HasMaxLength(64);
        // Partial: most postings have only one of the two, and an index entry per NULL is pure cost.
        b.HasIndex(t => t.Reference).IsUnique().HasFilter("reference IS NOT NULL");
        b.HasIndex(t => t.IdempotencyRecordId).IsUnique().HasFilter("idempotency_record_id IS NOT NULL");
        b.HasIndex(t => new { t.ActorId, t.CreatedAt });
        b.HasMany(t => t.Entries).WithOne().HasForeignKey(e => e.TransactionId).OnDelete(DeleteBehavior.Restrict);
    }
}
