namespace SuperApp.Features.Ledger;

/// <summary>The platform's own accounts, created by the initial ledger migration.</summary>
public static class SystemAccounts
{
    /// <summary>Owner id of every system account.</summary>
    public static readonly Guid Owner = Guid.Empty;

    public static readonly AccountKind[] Kinds =
        [AccountKind.PlatformRevenue, AccountKind.ExternalFunding, AccountKind.ExternalPayouts, AccountKind.WithdrawalHold];

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
