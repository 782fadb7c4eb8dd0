using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;

namespace SuperApp.Platform.Idempotency;

public enum ClaimOutcome { Claimed, Replay, InProgress, Mismatch }

public sealed record Claim(ClaimOutcome Outcome, Guid RecordId = default, Guid LockToken = default, IdempotencyRecord? Stored = null);

/// <summary>
/// Claims, completes and releases keys in the main database, so the guarantees survive restarts,
/// many instances and a flushed Redis. Every state change is a conditional statement.
/// </summary>
public sealed class IdempotencyStore(AppDbContext db, TimeProvider time, IOptions<IdempotencyOptions> options)
{
    private readonly IdempotencyOptions _o = options.Value;

    public async Task<Claim> ClaimAsync(Guid userId, string key, byte[] hash, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var id = Guid.CreateVersion7();
            var token = Guid.NewGuid();
            // The common case, a fresh key, costs this one statement.
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO idempotency_records (id, user_id, key, request_hash, completed, lock_token, locked_until, created_at, expires_at)
                VALUES ({id}, {userId}, {key}, {hash}, {false}, {token}, {now + _o.LockTimeout}, {now}, {now + _o.Ttl})
                ON CONFLICT (user_id, key) DO NOTHING
                """, ct);
            if (inserted == 1)
            {
                return new Claim(ClaimOutcome.Claimed, id, token);
            }

            var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, ct);
            if (existing is null)
            {
                continue; // purged between the two statements
            }

            if (existing.ExpiresAt <= now)
            {
                // Past its retention the key is free again; the purge job just has not reached it.
                await db.IdempotencyRecords.Where(r => r.Id == existing.Id && r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
                continue;
            }

            if (!existing.RequestHash.AsSpan().SequenceEqual(hash))
            {
                return new Claim(ClaimOutcome.Mismatch);
            }

            if (existing.Completed)
            {
                return new Claim(ClaimOutcome.Replay, existing.Id, Stored: existing);
            }

            if (existing.LockedUntil > now)
            {
                return new Claim(ClaimOutcome.InProgress);
            }

            // The previous attempt died mid-flight: take its claim over, once.
            var taken = await db.IdempotencyRecords
                .Where(r => r.Id == existing.Id && !r.Completed && r.LockToken == existing.LockToken)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockToken, token).SetProperty(r => r.LockedUntil, now + _o.LockTimeout), ct);
            if (taken == 1)
            {
                return new Claim(ClaimOutcome.Claimed, existing.Id, token);
            }
        }

        return new Claim(ClaimOutcome.InProgress);
    }

    /// <summary>Stores the response; false when this attempt no longer owns the claim.</summary>
    public async Task<bool> CompleteAsync(Claim claim, int status, string? contentType, string? location, byte[] body, CancellationToken ct) =>
        await db.IdempotencyRecords
            .Where(r => r.Id == claim.RecordId && r.LockToken == claim.LockToken && !r.Completed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Completed, true)
                .SetProperty(r => r.ResponseStatus, status)
                .SetProperty(r => r.ResponseContentType, contentType)
                .SetProperty(r => r.ResponseLocation, location)
                .SetProperty(r => r.ResponseBody, body), ct) == 1;

    /// <summary>Forgets a claim whose attempt failed with a server error, so the client can retry.</summary>
    public Task ReleaseAsync(Claim claim, CancellationToken ct) =>
        db.IdempotencyRecords.Where(r => r.Id == claim.RecordId && r.LockToken == claim.LockToken && !r.Completed).ExecuteDeleteAsync(ct);

    public Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}
