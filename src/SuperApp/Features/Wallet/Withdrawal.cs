using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SuperApp.Platform.Logging;

namespace SuperApp.Features.Wallet;

public enum WithdrawalStatus { Pending, Approved, Rejected }

/// <summary>
/// A payout request. Its amount is moved to the hold account when requested, so pending requests
/// can never add up to more than the wallet had. The fee is taken from the amount on approval.
/// </summary>
public sealed class Withdrawal : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public long Amount { get; set; }
    public long Fee { get; set; }
    public long NetAmount { get; set; }
    public required string BankName { get; set; }
    public required string AccountNumber { get; set; }
    public required string AccountName { get; set; }
    public WithdrawalStatus Status { get; set; } = WithdrawalStatus.Pending;
    public Guid HoldTransactionId { get; set; }
    public Guid? DecisionTransactionId { get; set; }
    public Guid? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? RejectReason { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class WithdrawalConfiguration : IEntityTypeConfiguration<Withdrawal>
{
    public void Configure(EntityTypeBuilder<Withdrawal> b)
    {
        b.ToTable("withdrawals",
            t => t.HasCheckConstraint("ck_withdrawals_amounts", "amount > 0 AND fee >= 0 AND net_amount = amount - fee"));
        b.Property(w => w.BankName).HasMaxLength(100);
        b.Property(w => w.AccountNumber).HasMaxLength(34);
        b.Property(w => w.AccountName).HasMaxLength(100);
        b.Property(w => w.RejectReason).HasMaxLength(500);
        b.Property(w => w.Status).HasConversion(EnumText.Converter<WithdrawalStatus>()).HasMaxLength(16);
        b.HasIndex(w => new { w.UserId, w.CreatedAt });
        b.HasIndex(w => new { w.Status, w.CreatedAt });
    }
}

public sealed record WithdrawalResponse(
    Guid WithdrawalId, long Amount, long Fee, long NetAmount, string Currency, WithdrawalStatus Status,
    string BankName, string AccountNumber, string AccountName, DateTime CreatedAt, DateTime? DecidedAt, string? RejectReason)
{
    public static WithdrawalResponse From(Withdrawal w, string currency) => new(
        w.Id, w.Amount, w.Fee, w.NetAmount, currency, w.Status, w.BankName, SensitiveDataMasker.LastFour(w.AccountNumber),
        w.AccountName, w.CreatedAt, w.DecidedAt, w.RejectReason);
}
