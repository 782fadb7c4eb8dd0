using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Ledger;

/// <summary>One side of a transaction on one account: signed amount and the balance it left.</summary>
public sealed class LedgerEntry : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TransactionId { get; set; }
    public Guid AccountId { get; set; }
    public long Amount { get; set; }
    public long BalanceAfter { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> b)
    {
        b.ToTable("ledger_entries", t => t.HasCheckConstraint("ck_ledger_entries_amount_not_zero", "amount <> 0"));
        b.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        // History is read per account, newest first; ids are time-ordered.
        b.HasIndex(e => new { e.AccountId, e.Id }).IsDescending(false, true);
        b.HasIndex(e => e.TransactionId);
        // Credits by time: what of an account's earnings is still in its holding period (settlement).
        b.HasIndex(e => new { e.AccountId, e.CreatedAt }).HasFilter("amount > 0");
    }
}
