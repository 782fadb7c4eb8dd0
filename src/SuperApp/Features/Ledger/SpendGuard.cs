using SuperApp.Features.Users;

namespace SuperApp.Features.Ledger;

/// <summary>
/// The fraud guard every purchase passes (unlock, subscription, gift) inside its money transaction,
/// before posting. It first takes the payer's wallet row lock, so one user's concurrent purchases are
/// checked one after another and a burst cannot slip past a limit. Refusals are audited.
/// </summary>
public sealed class SpendGuard(AppDbContext db, TimeProvider time, IOptions<FraudOptions> options, IServiceScopeFactory scopes)
{
    public async Task CheckAsync(Guid userId, string tier, TransactionKind kind, long amount, AuditContext audit, CancellationToken ct)
    {
        var now = time.UtcNow();
        // A no-op update takes the row lock on PostgreSQL and the write lock on SQLite alike.
        await db.Database.ExecuteSqlAsync($"UPDATE accounts SET balance = balance WHERE owner_id = {userId} AND kind = 'wallet'", ct);

        var status = await db.Users.Where(u => u.Id == userId).Select(u => u.Status).FirstOrDefaultAsync(ct);
        var walletStatus = await db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.Wallet)
            .Select(a => (AccountStatus?)a.Status).FirstOrDefaultAsync(ct);
        // The same codes a transfer or the request pipeline answers with: one code per refusal reason.
        if (status != UserStatus.Active)
        {
            throw await RefuseAsync(new ApiException(403, "ACCOUNT_SUSPENDED", "This account cannot make purchases right now."),
                userId, kind, amount, audit, now);
        }

        if (walletStatus == AccountStatus.Frozen)
        {
            throw await RefuseAsync(new ApiException(403, "WALLET_FROZEN", "The wallet is frozen."), userId, kind, amount, audit, now);
        }

        var o = options.Value;
        if (o.Velocity.TryGetValue(EnumText.Name(kind), out var velocity))
        {
            var lastHour = await db.LedgerTransactions
                .Where(t => t.ActorId == userId && t.Kind == kind && t.CreatedAt > now.AddHours(-1))
                .Select(t => t.CreatedAt).ToListAsync(ct);
            var lastMinute = lastHour.Where(at => at > now.AddMinutes(-1)).ToList();
            if (velocity.PerMinute > 0 && lastMinute.Count >= velocity.PerMinute)
            {
                throw await RefuseAsync(Velocity(lastMinute.Min().AddMinutes(1) - now), userId, kind, amount, audit, now);
            }

            if (velocity.PerHour > 0 && lastHour.Count >= velocity.PerHour)
            {
                throw await RefuseAsync(Velocity(lastHour.Min().AddHours(1) - now), userId, kind, amount, audit, now);
            }
        }

        if (o.DailySpendLimit.TryGetValue(tier, out var daily) && daily > 0)
        {
            var dayStart = now.Date;
            var spent = await db.LedgerEntries
                .Where(e => e.Amount < 0 && e.CreatedAt >= dayStart &&
                            db.Accounts.Any(a => a.Id == e.AccountId && a.OwnerId == userId && a.Kind == AccountKind.Wallet) &&
                            db.LedgerTransactions.Any(t => t.Id == e.TransactionId && TransactionKinds.Purchases.Contains(t.Kind)))
                .SumAsync(e => -e.Amount, ct);
            if (spent + amount > daily)
            {
                throw await RefuseAsync(new ApiException(422, "DAILY_LIMIT_EXCEEDED", "This purchase would pass your daily spending limit.",
                    $"Limit {daily}, spent today {spent}.") , userId, kind, amount, audit, now);
            }
        }
    }

    private static ApiException Velocity(TimeSpan wait)
    {
        var e = new ApiException(429, "VELOCITY_LIMIT_EXCEEDED", "Too many purchases in a short time. Try again shortly.");
        e.RetryAfter = wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
        return e;
    }

    /// <summary>
    /// Records the refusal in its own scope once the purchase's transaction has rolled back: it must
    /// outlive that transaction, and on SQLite it could not commit while that transaction holds the lock.
    /// </summary>
    private async Task<ApiException> RefuseAsync(ApiException refusal, Guid userId, TransactionKind kind, long amount, AuditContext audit,
        DateTime now)
    {
        async Task RecordAsync(CancellationToken ct)
        {
            await using var scope = scopes.CreateAsyncScope();
            var auditDb = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            audit.Record(auditDb, "fraud." + refusal.Code.ToLowerInvariant(), "user", userId.ToString(), null,
                new { kind = EnumText.Name(kind), amount, refused = refusal.Code }, now);
            await auditDb.SaveChangesAsync(ct);
        }

        if (db.Database.CurrentTransaction is null)
        {
            await RecordAsync(CancellationToken.None);
            return refusal;
        }

        return refusal.AfterRollback(RecordAsync);
    }
}
