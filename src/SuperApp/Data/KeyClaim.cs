using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace SuperApp.Data;

/// <summary>
/// An idempotency key that one attempt of a request means to claim: the record it inserts into
/// <c>idempotency_records</c> as the unit of work's first statement. Handed to
/// <see cref="UnitOfWork.RunAsync{T}(AppDbContext, KeyClaim?, Func{CancellationToken, Task{T}}, CancellationToken)"/>,
/// which sends it ahead of the first write (in the same round trip as the ledger's first batch on
/// PostgreSQL), so the claim and the work commit or roll back together.
/// </summary>
public sealed record KeyClaim(Guid RecordId, Guid UserId, string Key, byte[] Hash, DateTime CreatedAt, DateTime ExpiresAt)
{
    /// <summary>
    /// PostgreSQL: the claim as a batch command. The transaction-scoped advisory lock makes a
    /// concurrent duplicate fail at once (key in flight) instead of waiting on the unique index.
    /// </summary>
    public DbBatchCommand AddTo(DbBatch batch)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = """
            INSERT INTO idempotency_records (id, user_id, key, request_hash, created_at, expires_at)
            SELECT @id, @user_id, @key, @hash, @now, @expires_at
            WHERE pg_try_advisory_xact_lock(hashtextextended(@lock, 0))
            ON CONFLICT (user_id, key) DO NOTHING
            """;
        command.Parameters.AddValues(command.CreateParameter,
        [
            ("id", RecordId), ("user_id", UserId), ("key", Key), ("hash", Hash), ("now", CreatedAt), ("expires_at", ExpiresAt),
            ("lock", $"{UserId} {Key}"),
        ]);
        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>Throws <see cref="KeyTakenException"/> unless the batch command inserted the claim.</summary>
    public static void EnsureWon(DbBatchCommand? command)
    {
        if (command is { RecordsAffected: not 1 })
        {
            throw new KeyTakenException();
        }
    }

    /// <summary>The claim on its own, when no ledger batch carried it.</summary>
    public async Task SendAsync(AppDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var command = AddTo(batch);
            await batch.ExecuteNonQueryAsync(ct);
            EnsureWon(command);
            return;
        }

        // SQLite: transactions begin IMMEDIATE, so no other writer can hold the key meanwhile.
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotency_records (id, user_id, key, request_hash, created_at, expires_at)
            VALUES ({RecordId}, {UserId}, {Key}, {Hash}, {CreatedAt}, {ExpiresAt})
            ON CONFLICT (user_id, key) DO NOTHING
            """, ct);
        if (inserted != 1)
        {
            throw new KeyTakenException();
        }
    }
}

/// <summary>Thrown inside the work when another attempt holds the key; the work rolls back.</summary>
public sealed class KeyTakenException() : Exception("The idempotency key is held by another attempt.");
