using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Ledger;

/// <summary>
/// What one payer spent on purchases in one UTC day, kept in the purchase's own transaction, so the
/// daily limit costs one row however long the payer's history is. The row is also the lock that
/// makes one payer's concurrent purchases pass <see cref="SpendGuard"/> one after another.
/// </summary>
public sealed class DailySpend
{
    public Guid UserId { get; set; }
    public DateOnly Day { get; set; }
    public long Spent { get; set; }
}

public sealed class DailySpendConfiguration : IEntityTypeConfiguration<DailySpend>
{
    public void Configure(EntityTypeBuilder<DailySpend> b)
    {
        b.ToTable("daily_spend", t => t.HasCheckConstraint("ck_daily_spend_not_negative", "spent >= 0"));
        b.HasKey(s => new { s.UserId, s.Day });
    }
}
