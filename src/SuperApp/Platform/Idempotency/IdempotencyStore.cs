using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using SuperApp.Data;

namespace SuperApp.Platform.Idempotency;

/// <summary>What another attempt's hold on a key means for this request.</summary>
public enum KeyHolder { Replay, InProgress, Mismatch, Expired }

/// <summary>A key one attempt of a request means to claim, and the record id it would insert.</summary>
public sealed record KeyClaim(Guid RecordId, Guid UserId, string Key, byte[] Hash);

/// <summary>Thrown inside the work when another attempt holds the key; the work rolls back.</summary>
public sealed class KeyTakenException() : Exception("The idempotency key is held by another attempt.");

/// <summary>
/// Claims and completes keys in the main database, inside the transaction of the request's own
/// work: an attempt that fails or whose process dies leaves nothing behind, so its key is free at
/// once, and a completed record exists if and only if the work committed. The claim costs no round
/// trip of its own: it rides at the head of the request's first ledger batch, ahead of any balance
/// change (or goes alone when the work ends without one). On PostgreSQL it also takes a
/// transaction-scoped advisory lock on the key, so a concurrent duplicate learns at once that the
/// key is in flight instead of waiting for it.
/// </summary>
public sealed class IdempotencyStore(AppDbContext db, TimeProvider time, IOptions<IdempotencyOptions> options)
{
    private readonly IdempotencyOptions _o = options.Value;
    private KeyClaim? _pending;
    private Guid? _unstamped;

    /// <summary>Starts an attempt of an idempotent request: its claim waits for the first write.</summary>
    public KeyClaim Begin(Guid userId, string key, byte[] hash)
    {
        var claim = new KeyClaim(Guid.CreateVersion7(), userId, key, hash);
        _pending = claim;
        _unstamped = claim.RecordId;
        return claim;
    }

    /// <summary>The record id for the first ledger transaction the attempt posts, then null.</summary>
    public Guid? TakeRecordId()
    {
        var id = _unstamped;
        _unstamped = null;
        return id;
    }

    /// <summary>
    /// Puts the pending claim, if any, at the head of a batch (PostgreSQL). Check the returned
    /// command with <see cref="EnsureWon"/> before trusting anything else the batch returned.
    /// </summary>
    public DbBatchCommand? AddPendingClaim(DbBatch batch)
    {
        if (_pending is not { } claim)
        {
            return null;
        }

        _pending = null;
        var command = batch.CreateBatchCommand();
        command.CommandText = """
            INSERT INTO idempotency_records (id, user_id, key, request_hash, completed, created_at, expires_at)
            SELECT @id, @user_id, @key, @hash, false, @now, @expires_at
            WHERE pg_try_advisory_xact_lock(hashtextextended(@lock, 0))
            ON CONFLICT (user_id, key) DO NOTHING
            """;
        var now = time.UtcNow();
        command.Parameters.AddValues(command.CreateParameter,
        [
            ("id", claim.RecordId), ("user_id", claim.UserId), ("key", claim.Key), ("hash", claim.Hash), ("now", now),
            ("expires_at", now + _o.Ttl), ("lock", $"{claim.UserId} {claim.Key}"),
        ]);
        batch.BatchCommands.Add(command);
        return command;
    }

    public static void EnsureWon(DbBatchCommand? claim)
    {
        if (claim is { RecordsAffected: not 1 })
        {
            throw new KeyTakenException();
        }
    }

    /// <summary>Sends the pending claim on its own, when no ledger batch has carried it.</summary>
    public async Task ClaimPendingAsync(CancellationToken ct)
    {
        if (_pending is not { } pending)
        {
            return; // a ledger batch carried it, or there was none
        }

        var connection = db.Database.GetDbConnection();
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var claim = AddPendingClaim(batch);
            await batch.ExecuteNonQueryAsync(ct);
            EnsureWon(claim);
            return;
        }

        // SQLite: transactions begin IMMEDIATE, so no other writer can hold the key meanwhile.
        _pending = null;
        var now = time.UtcNow();
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotency_records (id, user_id, key, request_hash, completed, created_at, expires_at)
            VALUES ({pending.RecordId}, {pending.UserId}, {pending.Key}, {pending.Hash}, {false}, {now}, {now + _o.Ttl})
            ON CONFLICT (user_id, key) DO NOTHING
            """, ct);
        if (inserted != 1)
        {
            throw new KeyTakenException();
        }
    }

    /// <summary>
    /// After <see cref="KeyTakenException"/>: what the other attempt's hold means. A key past its
    /// retention is deleted here (the purge job had not reached it yet), and free to claim again.
    /// </summary>
    public async Task<(KeyHolder Holder, IdempotencyRecord? Stored)> ResolveAsync(Guid userId, string key, byte[] hash, CancellationToken ct)
    {
        var now = time.UtcNow();
        var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, ct);
        if (existing is null)
        {
            return (KeyHolder.InProgress, null); // claimed by a transaction that has not committed
        }

        if (existing.ExpiresAt <= now)
        {
            await db.IdempotencyRecords.Where(r => r.Id == existing.Id && r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
            return (KeyHolder.Expired, null);
        }

        return existing.RequestHash.AsSpan().SequenceEqual(hash) ? (KeyHolder.Replay, existing) : (KeyHolder.Mismatch, null);
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

    public Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var now = time.UtcNow();
        return db.IdempotencyRecords.Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}
