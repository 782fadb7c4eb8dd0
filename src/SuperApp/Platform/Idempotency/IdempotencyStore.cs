using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;

namespace SuperApp.Platform.Idempotency;

public enum ClaimOutcome { Claimed, Replay, InProgress, Mismatch }

public sealed record Claim(ClaimOutcome Outcome, Guid RecordId = default, IdempotencyRecord? Stored = null);

/// <summary>
/// Claims and completes keys in the main database, inside the transaction of the request's own
/// work: an attempt that fails or whose process dies leaves nothing behind, so its key is free at
/// once, and a completed record exists if and only if the work committed. On PostgreSQL a claim
/// also takes a transaction-scoped advisory lock on the key, so a concurrent duplicate learns at
/// once that the key is in flight (409) instead of waiting for it; SQLite runs one writer at a time,
/// so there a duplicate waits for the first attempt and then gets its replay.
/// </summary>
public sealed class IdempotencyStore(AppDbContext db, TimeProvider time, IOptions<IdempotencyOptions> options, DatabaseTarget target)
{
    private readonly IdempotencyOptions _o = options.Value;

    /// <summary>Must run inside the request's database transaction.</summary>
    public async Task<Claim> ClaimAsync(Guid userId, string key, byte[] hash, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var id = Guid.CreateVersion7();
            // The common case, a fresh key, costs this one statement.
            if (await InsertAsync(id, userId, key, hash, now, ct) == 1)
            {
                return new Claim(ClaimOutcome.Claimed, id);
            }

            var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, ct);
            if (existing is null)
            {
                continue; // another attempt holds the key (PostgreSQL), or it was purged meanwhile
            }

            if (existing.ExpiresAt <= now)
            {
                // Past its retention the key is free again; the purge job just has not reached it.
                await db.IdempotencyRecords.Where(r => r.Id == existing.Id && r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
                continue;
            }

            return existing.RequestHash.AsSpan().SequenceEqual(hash)
                ? new Claim(ClaimOutcome.Replay, existing.Id, existing)
                : new Claim(ClaimOutcome.Mismatch);
        }

        return new Claim(ClaimOutcome.InProgress);
    }

    /// <summary>
    /// Stages the response on the claimed record; it is saved in the same batch as the work's own
    /// pending rows when the transaction commits.
    /// </summary>
    public void Complete(Guid recordId, CapturedResponse response)
    {
        var record = new IdempotencyRecord { Id = recordId, Key = "", RequestHash = [] };
        db.IdempotencyRecords.Attach(record);
        record.Completed = true;
        record.ResponseStatus = response.Status;
        record.ResponseContentType = response.ContentType;
        record.ResponseLocation = response.Location;
        record.ResponseBody = response.Body;
    }

    /// <summary>
    /// Undoes the work done since the claim (a business rule refused it) while keeping the claim and
    /// its lock, so the refusal can be stored as the key's answer in the same transaction.
    /// </summary>
    public async Task UndoWorkAsync(CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync($"ROLLBACK TO SAVEPOINT {Savepoint}", ct);
        db.ChangeTracker.Clear();
    }

    public Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    private const string Savepoint = "idempotent_work";

    /// <summary>
    /// Inserts the claim and marks a savepoint after it (see <see cref="UndoWorkAsync"/>). On
    /// PostgreSQL both go in one round trip, the insert only when the key's advisory lock is free.
    /// </summary>
    private async Task<int> InsertAsync(Guid id, Guid userId, string key, byte[] hash, DateTime now, CancellationToken ct)
    {
        if (target.Provider == DatabaseProvider.Postgres)
        {
            return await db.Database.ExecuteSqlAsync($"""
                INSERT INTO idempotency_records (id, user_id, key, request_hash, completed, created_at, expires_at)
                SELECT {id}, {userId}, {key}, {hash}, {false}, {now}, {now + _o.Ttl}
                WHERE pg_try_advisory_xact_lock(hashtextextended({userId.ToString()} || ' ' || {key}, 0))
                ON CONFLICT (user_id, key) DO NOTHING;
                SAVEPOINT idempotent_work
                """, ct); // the name of Savepoint: interpolated it would become a parameter
        }

        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotency_records (id, user_id, key, request_hash, completed, created_at, expires_at)
            VALUES ({id}, {userId}, {key}, {hash}, {false}, {now}, {now + _o.Ttl})
            ON CONFLICT (user_id, key) DO NOTHING
            """, ct);
        if (inserted == 1)
        {
            await db.Database.ExecuteSqlRawAsync($"SAVEPOINT {Savepoint}", ct);
        }

        return inserted;
    }
}
