using SuperApp.Features.Users;

namespace SuperApp.Features.Ledger;

/// <summary>
/// The fraud guard every purchase passes (unlock, subscription, gift) inside its money transaction.
/// Its statements ride in the posting's batch, ahead of the balance updates (one round trip on
/// PostgreSQL), and its refusals are asked before the posting's own. The first adds the purchase to
/// the payer's <see cref="DailySpend"/> row for today and takes that row's lock, so one user's
/// concurrent purchases are checked one after another and a burst cannot slip past a limit; the row
/// is no account, so this lock comes before the ledger's account locks in every transaction that
/// takes it. Refusals roll the whole transaction back and are audited after it.
/// </summary>
public sealed class SpendGuard(AppDbContext db, TimeProvider time, IOptions<FraudOptions> options, IServiceScopeFactory scopes)
{
    /// <summary>
    /// Adds the guard to a purchase's <paramref name="batch"/>. With a <paramref name="seller"/> (the
    /// creator paid), that user must be active too: payer and seller are read in one statement,
    /// share-locked on PostgreSQL as <see cref="Sellers.LockActiveAsync"/> does. A seller that is not
    /// active throws <paramref name="seller"/>'s refusal, which is not a fraud refusal.
    /// </summary>
    public LedgerBatch AddTo(LedgerBatch batch, Guid userId, string tier, TransactionKind kind, long amount,
        (Guid Id, ApiException Gone)? seller, AuditContext audit)
    {
        var now = time.UtcNow();
        long spentWithThis = 0;
        Dictionary<Guid, Party> parties = [];
        List<DateTime> lastHour = [];

        // Rolled back with the purchase if anything (the posting included) refuses it.
        batch.Before.Add(new BatchStatement("""
            INSERT INTO daily_spend (user_id, day, spent) VALUES (@user_id, @day, @amount)
            ON CONFLICT (user_id, day) DO UPDATE SET spent = daily_spend.spent + excluded.spent
            RETURNING spent
            """, [("user_id", userId), ("day", DateOnly.FromDateTime(now)), ("amount", amount)])
        {
            Read = async (r, ct) => spentWithThis = await r.ReadAsync(ct) ? r.GetInt64(0) : 0,
        });
        batch.Before.Add(new BatchStatement($"""
            SELECT u.id, u.status,
                EXISTS (SELECT 1 FROM accounts a WHERE a.owner_id = u.id AND a.kind = 'wallet' AND a.status = 'frozen') AS frozen
            FROM users u WHERE u.id IN (@payer, @seller){(db.Database.IsSqlite() ? "" : " FOR SHARE OF u")}
            """, [("payer", userId), ("seller", seller?.Id ?? userId)])
        {
            Read = async (r, ct) => parties = (await LedgerBatch.ReadAllAsync(r, x => new Party(x.GetGuid(0), x.GetString(1),
                x.GetBoolean(2)), ct)).ToDictionary(p => p.Id),
        });

        var o = options.Value;
        var velocity = o.Velocity.TryGetValue(EnumText.Name(kind), out var v) && (v.PerMinute > 0 || v.PerHour > 0) ? v : null;
        if (velocity is not null)
        {
            // Bounded by the (actor, created_at) index: an hour of this payer's transactions at most.
            batch.Before.Add(new BatchStatement("""
                SELECT created_at FROM ledger_transactions WHERE actor_id = @actor AND kind = @kind AND created_at > @since
                """, [("actor", userId), ("kind", EnumText.Name(kind)), ("since", now.AddHours(-1))])
            {
                Read = async (r, ct) => lastHour = await LedgerBatch.ReadAllAsync(r, x => x.GetDateTime(0), ct),
            });
        }

        batch.Checks.Add(() =>
        {
            if (seller is { } s && parties.GetValueOrDefault(s.Id)?.Status != EnumText.Name(UserStatus.Active))
            {
                throw s.Gone;
            }

            var payer = parties.GetValueOrDefault(userId);
            // The same codes a transfer or the request pipeline answers with: one code per refusal reason.
            if (payer?.Status != EnumText.Name(UserStatus.Active))
            {
                throw Refuse(new ApiException(403, "ACCOUNT_SUSPENDED", "This account cannot make purchases right now."),
                    userId, kind, amount, audit, now);
            }

            if (payer.Frozen)
            {
                throw Refuse(new ApiException(403, "WALLET_FROZEN", "The wallet is frozen."), userId, kind, amount, audit, now);
            }

            if (velocity is not null)
            {
                var lastMinute = lastHour.Where(at => at > now.AddMinutes(-1)).ToList();
                if (velocity.PerMinute > 0 && lastMinute.Count >= velocity.PerMinute)
                {
                    throw Refuse(Velocity(lastMinute.Min().AddMinutes(1) - now), userId, kind, amount, audit, now);
                }

                if (velocity.PerHour > 0 && lastHour.Count >= velocity.PerHour)
                {
                    throw Refuse(Velocity(lastHour.Min().AddHours(1) - now), userId, kind, amount, audit, now);
                }
            }

            if (o.DailySpendLimit.TryGetValue(tier, out var daily) && daily > 0 && spentWithThis > daily)
            {
                throw Refuse(new ApiException(422, "DAILY_LIMIT_EXCEEDED", "This purchase would pass your daily spending limit.",
                    $"Limit {daily}, spent today {spentWithThis - amount}."), userId, kind, amount, audit, now);
            }
        });
        return batch;
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
    private ApiException Refuse(ApiException refusal, Guid userId, TransactionKind kind, long amount, AuditContext audit, DateTime now) =>
        refusal.AfterRollback(async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var auditDb = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            audit.Record(auditDb, "fraud." + refusal.Code.ToLowerInvariant(), "user", userId.ToString(), null,
                new { kind = EnumText.Name(kind), amount, refused = refusal.Code }, now);
            await auditDb.SaveChangesAsync(ct);
        });
}
