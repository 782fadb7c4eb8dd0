using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Ledger;

public enum AccountKind
{
    Wallet, EarningsPending, PlatformRevenue, ExternalFunding, ExternalPayouts, WithdrawalHold,

    /// <summary>Paid top-ups that could not be credited when the payment arrived, until released or refunded.</summary>
    Suspense,

    /// <summary>What chargebacks took back that the wallet could no longer cover: the platform's loss.</summary>
    ChargebackLosses,

    /// <summary>What refunds returned that the creator could no longer repay: the platform's loss.</summary>
    RefundLosses,
}

public enum AccountStatus { Active, Frozen }

/// <summary>
/// A ledger account. Users own a wallet (and creators an earnings account); system accounts belong
/// to <see cref="SystemAccounts.Owner"/>, each split into shards so that concurrent postings do not
/// queue on one row. An account is found by (owner, kind, shard).
/// </summary>
public sealed class Account
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OwnerId { get; set; }
    public AccountKind Kind { get; set; }

    /// <summary>0 for a user's account; a system account is split over shards (<see cref="LedgerOptions.SystemAccountShards"/>).</summary>
    public int Shard { get; set; }
    public long Balance { get; set; }
    public AccountStatus Status { get; set; } = AccountStatus.Active;
    public string? FrozenReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.ToTable("accounts", t =>
        {
            // Only the outside world's funding account (where top-ups come from) and the two loss
            // accounts (what the platform paid out of its own pocket) may go below zero.
            t.HasCheckConstraint("ck_accounts_balance_not_negative", SystemAccounts.NegativeAllowedSql + " OR balance >= 0");
        });
        b.Property(a => a.Kind).HasConversion(EnumText.Converter<AccountKind>()).HasMaxLength(24);
        b.Property(a => a.Status).HasConversion(EnumText.Converter<AccountStatus>()).HasMaxLength(16);
        b.Property(a => a.FrozenReason).HasMaxLength(500);
        b.HasIndex(a => new { a.OwnerId, a.Kind, a.Shard }).IsUnique();
        b.HasIndex(a => new { a.OwnerId, a.Status });
        b.HasData(SystemAccounts.Seed());
    }
}
