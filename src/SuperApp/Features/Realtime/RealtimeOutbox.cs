using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Realtime;

/// <summary>
/// The outbox. Code that changes something a user hears about calls <see cref="Stage"/> inside its
/// transaction; when that transaction commits the staged events are written (each taking the
/// user's next seq from <c>realtime_sequences</c> with one upsert … RETURNING), on PostgreSQL in
/// the COMMIT's own round trip, so the event exists exactly when what it reports does. After the
/// commit they are pushed to the users' connections; if the push is lost (no connection, a crash)
/// the client replays it with Resume.
/// Events are written in user-id order, one lock order for every transaction, so two writers
/// never wait on each other's counters in a cycle.
/// </summary>
public sealed partial class RealtimeOutbox(
    IHubContext<RealtimeHub> hub, TimeProvider time, DatabaseTarget target, AppMetrics metrics, ILogger<RealtimeOutbox> logger)
    : DbTransactionInterceptor
{
    public const string EventMethod = "event";

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    /// <summary>Stages a durable event for <paramref name="userId"/> in the transaction open on <paramref name="db"/>.</summary>
    public void Stage(AppDbContext db, Guid userId, string type, object data)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Durable events are staged inside the transaction of what they report.");
        }

        var json = JsonSerializer.Serialize(data, RealtimeJson.Options);
        _pending.GetOrCreateValue(db).Staged.Add(new Staged(userId, type, json));
    }

    /// <summary>Work to do once the open transaction has committed (ephemeral notifications); dropped on rollback.</summary>
    public void AfterCommit(AppDbContext db, Func<Task> work)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("After-commit work is attached to an open transaction.");
        }

        _pending.GetOrCreateValue(db).AfterCommit.Add(work);
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // When the events went with the COMMIT (PostgreSQL), EF's own commit is suppressed: the transaction is over. So this
    // must stay the only interceptor that writes as a transaction commits: one that ran after it would find it committed.
    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result) =>
        WriteAsync(transaction, eventData.Context, CancellationToken.None).GetAwaiter().GetResult()
            ? InterceptionResult.Suppress()
            : result;

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction,
        TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        await WriteAsync(transaction, eventData.Context, cancellationToken) ? InterceptionResult.Suppress() : result;

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        _ = PublishAsync(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default) =>
        PublishAsync(eventData.Context);

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }

    private const string PostgresInsertSql = """
        WITH s AS (
          INSERT INTO realtime_sequences (user_id, last_seq) VALUES (@user, 1)
          ON CONFLICT (user_id) DO UPDATE SET last_seq = realtime_sequences.last_seq + 1
          RETURNING last_seq)
        INSERT INTO realtime_events (id, user_id, seq, type, data, created_at)
        SELECT @id, @user, last_seq, @type, @data, @now FROM s
        RETURNING seq
        """;

    private const string SqliteSequenceSql = """
        INSERT INTO realtime_sequences (user_id, last_seq) VALUES (@user, 1)
        ON CONFLICT (user_id) DO UPDATE SET last_seq = last_seq + 1
        RETURNING last_seq
        """;

    private const string SqliteInsertSql = """
        INSERT INTO realtime_events (id, user_id, seq, type, data, created_at) VALUES (@id, @user, @seq, @type, @data, @now)
        """;

    /// <summary>
    /// Writes the staged events on the committing transaction. On PostgreSQL they go in one batch with the
    /// COMMIT itself (true: committed): no round trip of their own, and each user's sequence row, the one row a
    /// live stream's gifts to one creator all take, stays locked only while the commit is made durable.
    /// </summary>
    private async Task<bool> WriteAsync(DbTransaction transaction, DbContext? context, CancellationToken ct)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending) || pending.Staged.Count == 0)
        {
            return false;
        }

        var now = time.UtcNow();
        var staged = pending.Staged.OrderBy(s => s.UserId).ToList(); // stable: one user's events keep their order
        pending.Staged.Clear();
        var connection = transaction.Connection!;
        var seqs = new List<long>(staged.Count);
        var committed = connection.CanCreateBatch;
        if (committed)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var s in staged)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = PostgresInsertSql;
                command.Parameters.AddValues(command.CreateParameter, Values(s, now, Guid.CreateVersion7(), null));
                batch.BatchCommands.Add(command);
            }

            var commit = batch.CreateBatchCommand();
            commit.CommandText = "COMMIT";
            batch.BatchCommands.Add(commit);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            foreach (var _ in staged)
            {
                seqs.Add(await reader.ReadAsync(ct) ? reader.GetInt64(0) : throw new InvalidOperationException("No seq was allocated."));
                await reader.NextResultAsync(ct);
            }

            // Reads on to the COMMIT's answer, so that a commit that fails (a deferred check) throws here.
            while (await reader.NextResultAsync(ct))
            {
            }
        }
        else
        {
            foreach (var s in staged)
            {
                await using var next = connection.CreateCommand();
                next.Transaction = transaction;
                next.CommandText = SqliteSequenceSql;
                next.Parameters.AddValues(next.CreateParameter, ForProvider([("user", s.UserId)]));
                var seq = Convert.ToInt64(await next.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = SqliteInsertSql;
                insert.Parameters.AddValues(insert.CreateParameter, Values(s, now, Guid.CreateVersion7(), seq));
                await insert.ExecuteNonQueryAsync(ct);
                seqs.Add(seq);
            }
        }

        for (var i = 0; i < staged.Count; i++)
        {
            var data = JsonDocument.Parse(staged[i].Json).RootElement.Clone();
            pending.Written.Add((staged[i].UserId, new RealtimeEnvelope(seqs[i], staged[i].Type, now, data)));
        }

        return committed;
    }

    private IEnumerable<(string Name, object? Value)> Values(Staged s, DateTime now, Guid id, long? seq)
    {
        var values = new List<(string, object?)> { ("id", id), ("user", s.UserId), ("type", s.Type), ("data", s.Json), ("now", now) };
        if (seq is { } n)
        {
            values.Add(("seq", n));
        }

        return ForProvider(values);
    }

    /// <summary>EF stores GUIDs as upper-case text in SQLite; PostgreSQL has a uuid type.</summary>
    private IEnumerable<(string Name, object? Value)> ForProvider(IEnumerable<(string Name, object? Value)> values) =>
        target.Provider == DatabaseProvider.Sqlite
            ? values.Select(v => (v.Name, v.Value is Guid g ? g.ToString().ToUpperInvariant() : v.Value))
            : values;

    private async Task PublishAsync(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending))
        {
            return;
        }

        _pending.Remove(context);
        foreach (var (userId, envelope) in pending.Written)
        {
            try
            {
                await hub.Clients.User(userId.ToString()).SendAsync(EventMethod, envelope);
                metrics.OutboxPushed(time.UtcNow() - envelope.At);
            }
            catch (Exception e)
            {
                // Committed is what counts: the client gets the event on its next Resume.
                LogPushFailed(logger, e, envelope.Type, userId);
            }
        }

        foreach (var work in pending.AfterCommit)
        {
            try
            {
                await work();
            }
            catch (Exception e)
            {
                LogAfterCommitFailed(logger, e);
            }
        }
    }

    private sealed record Staged(Guid UserId, string Type, string Json);

    private sealed class Pending
    {
        public List<Staged> Staged { get; } = [];
        public List<(Guid UserId, RealtimeEnvelope Envelope)> Written { get; } = [];
        public List<Func<Task>> AfterCommit { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push a {Type} event to user {UserId}; it waits for Resume")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string type, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "After-commit realtime work failed")]
    private static partial void LogAfterCommitFailed(ILogger logger, Exception exception);
}
