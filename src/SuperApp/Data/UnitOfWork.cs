using Microsoft.Data.Sqlite;
using Npgsql;

namespace SuperApp.Data;

/// <summary>
/// The one owner of a database transaction: it opens it, runs the work, saves what the work left in
/// the DbContext in one batch, and commits — or rolls back and retries a bounded number of times when
/// the database reports a serialization failure or deadlock (anything else rolls back and propagates).
/// A request that must claim an idempotency key hands the claim in; it becomes the unit's first
/// statement (see <see cref="AppDbContext.TakeClaimFor"/>). Nested calls join the outer unit.
/// </summary>
public static class UnitOfWork
{
    public const int MaxAttempts = 5;

    public static Task<T> RunAsync<T>(this AppDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken ct) =>
        db.RunAsync(null, work, ct);

    public static async Task<T> RunAsync<T>(
        this AppDbContext db, KeyClaim? claim, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            // Already inside a unit of work (an idempotent request): its owner claims, commits and retries.
            return await work(ct);
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.Claim = claim;
            try
            {
                var result = await work(ct);
                // Work that wrote nothing through the ledger still owes its claim before the commit.
                if (db.TakeUnsentClaim() is { } unsent)
                {
                    await unsent.SendAsync(db, ct);
                }

                if (db.ChangeTracker.HasChanges())
                {
                    await db.SaveChangesAsync(ct);
                }

                // Never cancelled half way (a client gone): a COMMIT cut off leaves its outcome unknown to the caller.
                await tx.CommitAsync(CancellationToken.None);
                return result;
            }
            catch (Exception e)
            {
                await RollBackAsync(tx);
                // Entities added by the failed attempt must not be saved by anything that follows.
                db.ChangeTracker.Clear();
                await RunAfterRollbackAsync(e);

                if (!IsRetryable(e) || attempt >= MaxAttempts)
                {
                    throw;
                }
            }
            finally
            {
                db.Claim = null;
            }

            await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
        }
    }

    /// <summary>
    /// Rolls back what is left of the transaction. A COMMIT the server refused (a deferred check, a serialization
    /// failure) has already ended it, and the driver then refuses a rollback; the original error is what counts.
    /// </summary>
    private static async Task RollBackAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx)
    {
        try
        {
            await tx.RollbackAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // The driver's answer for a transaction that is already over: nothing is left to undo.
        }
    }

    /// <summary>
    /// Attaches work to run once the transaction this exception rolls back is gone, for a record that
    /// must outlive it (a refusal's audit row). It cannot be written from a second connection while
    /// the transaction is open: SQLite has one writer, and the open transaction may hold it.
    /// </summary>
    public static TException AfterRollback<TException>(this TException e, Func<CancellationToken, Task> work) where TException : Exception
    {
        e.Data[AfterRollbackKey] = work;
        return e;
    }

    /// <summary>Runs what <see cref="AfterRollback{TException}"/> attached, once the work's transaction is over.</summary>
    public static Task RunAfterRollbackAsync(Exception e) =>
        e.Data[AfterRollbackKey] is Func<CancellationToken, Task> after ? after(CancellationToken.None) : Task.CompletedTask;

    private const string AfterRollbackKey = "superapp.after-rollback";

    /// <summary>
    /// The unit of work met a state it cannot act on in place (an account created by a concurrent
    /// transaction after this one's snapshot, or not yet created): roll back and run it again.
    /// </summary>
    public sealed class RetryException(string reason) : Exception(reason);

    public static bool IsRetryable(Exception e) => e switch
    {
        RetryException => true,
        PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected } => true,
        SqliteException { SqliteErrorCode: 5 or 6 } => true, // SQLITE_BUSY, SQLITE_LOCKED
        { InnerException: { } inner } => IsRetryable(inner),
        _ => false,
    };
}
