using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace SuperApp.Platform.Observability;

/// <summary>
/// Counts ledger postings when their transaction commits, not when they are staged: a rolled-back
/// or retried unit of work would otherwise count money that never moved. Postings wait on their
/// DbContext (weakly, so a pooled context leaves nothing behind) until commit or rollback.
/// </summary>
public sealed class PostingTally(AppMetrics metrics) : DbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<(string Kind, long Amount)>> _pending = [];

    public void Staged(DbContext db, string kind, long amount) => _pending.GetOrCreateValue(db).Add((kind, amount));

    // A COMMIT the database refused ends the transaction with this event, not with a rollback.
    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) =>
        Flush(eventData.Context, false);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData,
        CancellationToken ct = default)
    {
        Flush(eventData.Context, false);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction,
        TransactionEndEventData eventData) => Flush(eventData.Context, true);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken ct = default)
    {
        Flush(eventData.Context, true);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction,
        TransactionEndEventData eventData) => Flush(eventData.Context, false);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken ct = default)
    {
        Flush(eventData.Context, false);
        return Task.CompletedTask;
    }

    private void Flush(DbContext? db, bool committed)
    {
        if (db is null || !_pending.TryGetValue(db, out var postings) || postings.Count == 0)
        {
            return;
        }

        if (committed)
        {
            foreach (var (kind, amount) in postings)
            {
                metrics.Posted(kind, amount);
            }
        }

        postings.Clear();
    }
}
