using SuperApp.Features.Users;

namespace SuperApp.Features.Ledger;

/// <summary>
/// The fraud guard every purchase passes (unlock, subscription, gift) inside its money transaction,
/// before posting. Its first statement adds the purchase to the payer's <see cref="DailySpend"/> row
/// for today and takes that row's lock, so one user's concurrent purchases are checked one after
/// another and a burst cannot slip past a limit; the row is no account, so this lock comes before
/// the ledger's account locks in every transaction that takes it. Refusals are audited.
/// </summary>
public sealed class SpendGuard(AppDbContext db, TimeProvider time, IOptions<FraudOptions> options, IServiceScopeFactory scopes)
{
    public Task CheckAsync(Guid userId, string tier, TransactionKind kind, long amount, AuditContext audit, CancellationToken ct) =>
        CheckAsync(userId, tier, kind, amount, seller: null, audit, ct);

    /// <summary>
    /// The same, and the seller (the creator paid) must be active: both user rows are read in one
    /// statement, share-locked on PostgreSQL as <see cref="Sellers.LockActiveAsync"/> does. A seller
    /// that is not active throws <paramref name="seller"/>'s refusal, which is not a fraud refusal.
    /// </summary>
    public async Task CheckAsync(Guid userId, string tier, TransactionKind kind, long amount, (Guid Id, ApiException Gone)? seller,
        AuditContext audit, CancellationToken ct)
    {
        var now = time.UtcNow();
        var today = DateOnly.FromDateTime(now);
        // Rolled back with the purchase if anything below (or the posting) refuses it.
        var spentWithThis = (await db.Database.SqlQuery<long>($"""
            INSERT INTO daily_spend (user_id, day, spent) VALUES ({userId}, {today}, {amount})
            ON CONFLICT (user_id, day) DO UPDATE SET spent = daily_spend.spent + excluded.spent
            RETURNING spent AS "Value"
            """).ToListAsync(ct)).Single();

        var parties = await PartiesAsync(userId, seller?.Id ?? userId, ct);
        if (seller is { } s && parties.GetValueOrDefault(s.Id)?.Status != EnumText.Name(UserStatus.Active))
        {
            throw s.Gone;
        }

        var payer = parties.GetValueOrDefault(userId);
        // The same codes a transfer or the request pipeline answers with: one code per refusal reason.
        if (payer?.Status != EnumText.Name(UserStatus.Active))
        {
            throw await RefuseAsync(new ApiException(403, "ACCOUNT_SUSPENDED", "This account cannot make purchases right now."),
                userId, kind, amount, audit, now);
        }

        if (payer.Frozen)
        {
            throw await RefuseAsync(new ApiException(403, "WALLET_FROZEN", "The wallet is frozen."), userId, kind, amount, audit, now);
        }

        var o = options.Value;
        if (o.Velocity.TryGetValue(EnumText.Name(kind), out var velocity) && (velocity.PerMinute > 0 || velocity.PerHour > 0))
        {
            // Bounded by the (actor, created_at) index: an hour of this payer's transactions at most.
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

        if (o.DailySpendLimit.TryGetValue(tier, out var daily) && daily > 0 && spentWithThis > daily)
        {
            throw await RefuseAsync(new ApiException(422, "DAILY_LIMIT_EXCEEDED", "This purchase would pass your daily spending limit.",
                $"Limit {daily}, spent today {spentWithThis - amount}."), userId, kind, amount, audit, now);
        }
    }

    /// <summary>Payer and seller (the same id when there is none) with their status and whether their wallet is frozen.</summary>
    private async Task<Dictionary<Guid, Party>> PartiesAsync(Guid payer, Guid seller, CancellationToken ct)
    {
        var rows = db.Database.IsSqlite()
            ? db.Database.SqlQuery<Party>($"""
                SELECT u.id, u.status,
                    EXISTS (SELECT 1 FROM accounts a WHERE a.owner_id = u.id AND a.kind = 'wallet' AND a.status = 'frozen') AS frozen
                FROM users u WHERE u.id IN ({payer}, {seller})
                """)
            : db.Database.SqlQuery<Party>($"""
                SELECT u.id, u.status,
                    EXISTS (SELECT 1 FROM accounts a WHERE a.owner_id = u.id AND a.kind = 'wallet' AND a.status = 'frozen') AS frozen
                FROM users u WHERE u.id IN ({payer}, {seller}) FOR SHARE OF u
                """);
        return await rows.ToDictionaryAsync(p => p.Id, ct);
    }

    private sealed record Party(Guid Id, string Status, bool Frozen);

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
