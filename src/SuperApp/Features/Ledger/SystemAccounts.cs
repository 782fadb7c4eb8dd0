namespace SuperApp.Features.Ledger;

/// <summary>The platform's own accounts, created by the initial ledger migration.</summary>
public static class SystemAccounts
{
    /// <summary>Owner id of every system account.</summary>
    public static readonly Guid Owner = Guid.Empty;

    /// <summary>In seeding order: the position gives each its fixed id, so new kinds go at the end.</summary>
    public static readonly AccountKind[] Kinds =
    [
        AccountKind.PlatformRevenue, AccountKind.ExternalFunding, AccountKind.ExternalPayouts, AccountKind.WithdrawalHold,
        AccountKind.Suspense, AccountKind.ChargebackLosses, AccountKind.RefundLosses,
    ];

    /// <summary>The accounts whose balance may be negative: money owed by the outside world or lost by the platform.</summary>
    public static bool MayGoNegative(AccountKind kind) =>
        kind is AccountKind.ExternalFunding or AccountKind.ChargebackLosses or AccountKind.RefundLosses;

    /// <summary>The same rule as SQL, for the CHECK constraint and the ledger's conditional update.</summary>
    public const string NegativeAllowedSql = "kind IN ('external_funding', 'chargeback_losses', 'refund_losses')";

    /// <summary>
    /// The shard of <paramref name="kind"/> that a transaction credited: money held on a system account
    /// (a withdrawal's reserve, a held top-up) is taken back out of the shard it went into, which
    /// therefore still holds it. Shard 0 when the transaction did not credit that kind.
    /// </summary>
    public static async Task<AccountRef> CreditedByAsync(AppDbContext db, Guid? transactionId, AccountKind kind, CancellationToken ct)
    {
        var shard = await (from e in db.LedgerEntries
            join a in db.Accounts on e.AccountId equals a.Id
            where e.TransactionId == transactionId && e.Amount > 0 && a.OwnerId == Owner && a.Kind == kind
            select (int?)a.Shard).FirstOrDefaultAsync(ct);
        return AccountRef.System(kind, shard ?? 0);
    }

    public static IEnumerable<Account> Seed()
    {
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return Kinds.Select((kind, i) => new Account
        {
            Id = new Guid($"00000000-0000-7000-8000-{i + 1:D12}"),
            OwnerId = Owner,
            Kind = kind,
            CreatedAt = at,
            UpdatedAt = at,
        });
    }
}
