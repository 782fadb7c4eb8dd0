namespace SuperApp.Platform.Idempotency;

/// <summary>What another attempt's hold on a key means for this request's answer.</summary>
public enum KeyOutcome { Replay, InProgress, Mismatch, Expired }

/// <summary>
/// Idempotency keys in the main database. A key is claimed inside the transaction of the request's
/// own work (see <see cref="KeyClaim"/>, handed to the unit of work by <see cref="IdempotencyFilter"/>),
/// so an attempt that fails or whose process dies leaves nothing behind and its key is free at once,
/// and a completed record exists if and only if the work committed. This store makes claims, tells
/// an attempt that lost one what the holder means for it, stores answers and purges old keys.
/// </summary>
public sealed class IdempotencyStore(AppDbContext db, TimeProvider time, IOptions<IdempotencyOptions> options)
{
    private readonly IdempotencyOptions _o = options.Value;

    /// <summary>A fresh claim for one attempt of a request.</summary>
    public KeyClaim NewClaim(Guid userId, string key, byte[] hash)
    {
        var now = time.UtcNow();
        return new KeyClaim(Guid.CreateVersion7(), userId, key, hash, now, now + _o.Ttl);
    }

    /// <summary>
    /// After <see cref="KeyTakenException"/>: what the other attempt's hold means. A key past its
    /// retention is deleted here (the purge job had not reached it yet), and free to claim again.
    /// </summary>
    public async Task<(KeyOutcome Outcome, IdempotencyRecord? Stored)> ResolveAsync(Guid userId, string key, byte[] hash,
        CancellationToken ct)
    {
        var now = time.UtcNow();
        var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, ct);
        if (existing is null)
        {
            return (KeyOutcome.InProgress, null); // claimed by a transaction that has not committed
        }

        if (existing.ExpiresAt <= now)
        {
            await db.IdempotencyRecords.Where(r => r.Id == existing.Id && r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
            return (KeyOutcome.Expired, null);
        }

        return existing.RequestHash.AsSpan().SequenceEqual(hash) ? (KeyOutcome.Replay, existing) : (KeyOutcome.Mismatch, null);
    }

    /// <summary>
    /// Stages the response on the claimed record; it is saved in the same batch as the work's own
    /// pending rows when the transaction commits.
    /// </summary>
    public void Complete(Guid recordId, CapturedResponse response)
    {
        var record = new IdempotencyRecord { Id = recordId, Key = "", RequestHash = [] };
        db.IdempotencyRecords.Attach(record);
        record.ResponseStatus = response.Status;
        record.ResponseContentType = response.ContentType;
        record.ResponseLocation = response.Location;
        record.ResponseBody = response.Body;
    }

    public Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var now = time.UtcNow();
        return db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}
