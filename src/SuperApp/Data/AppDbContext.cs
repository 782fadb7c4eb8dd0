using SuperApp.Features.Auth;
using SuperApp.Features.Gifts;
using SuperApp.Features.Ledger;
using SuperApp.Features.Subscriptions;
using SuperApp.Features.Premium;
using SuperApp.Features.Wallet;
using SuperApp.Platform.Idempotency;
using SuperApp.Features.Users;

namespace SuperApp.Data;

/// <summary>
/// The one database context. Each feature keeps its entity configuration next to its entities;
/// they are picked up from this assembly.
/// </summary>
public partial class AppDbContext : DbContext
{
    public AppDbContext(DbContextOptions options) : base(options)
    {
        // Money work runs in explicit transactions that roll back whole; a savepoint around each
        // SaveChanges would only add round trips.
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<OtpChallenge> OtpChallenges => Set<OtpChallenge>();
    public DbSet<LoginThrottle> LoginThrottles => Set<LoginThrottle>();
    public DbSet<PhoneChange> PhoneChanges => Set<PhoneChange>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<DailySpend> DailySpends => Set<DailySpend>();
    public DbSet<AuditLog> AuditLogs => Set<AuditLog>();
    public DbSet<Topup> Topups => Set<Topup>();
    public DbSet<Withdrawal> Withdrawals => Set<Withdrawal>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<SubscriptionPlan> SubscriptionPlans => Set<SubscriptionPlan>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<PremiumContent> PremiumContents => Set<PremiumContent>();
    public DbSet<ContentUnlock> ContentUnlocks => Set<ContentUnlock>();
    public DbSet<Gift> Gifts => Set<Gift>();
    public DbSet<LeaderboardEntry> GiftLeaderboard => Set<LeaderboardEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
}

/// <summary>PostgreSQL flavour: exists so its migration set is kept apart from SQLite's.</summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AppDbContext(options);

/// <summary>SQLite flavour (the embedded default), with its own migration set.</summary>
public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : AppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite stores timestamps as text without an offset; read them back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
