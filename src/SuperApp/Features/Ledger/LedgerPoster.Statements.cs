using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace SuperApp.Features.Ledger;

/// <summary>
/// The statements a posting sends: the transaction row, each account's conditional update with its
/// entry, and a purchase's own statements around them (<see cref="LedgerBatch"/>), as plain ADO.NET
/// on the unit of work's connection and transaction.
/// </summary>
public sealed partial class LedgerPoster
{
    private const string InsertTransactionSql = """
        INSERT INTO ledger_transactions
            (id, kind, amount, currency, actor_id, note, reference, request_id, idempotency_record_id, created_at)
        VALUES (@id, @kind, @amount, @currency, @actor_id, @note, @reference, @request_id, @idempotency_record_id, @now)
        """;

    /// <summary>
    /// The conditional update: the account must be active (frozen ones neither pay nor get paid),
    /// stay non-negative unless it may, and a wallet stay under the cap. <c>@any_status</c> and
    /// <c>@max</c> carry the request's opt-ins (<see cref="PostingRequest.ReturnsFunds"/>, <see cref="PostingRequest.BypassFreeze"/>).
    /// </summary>
    private const string UpdateSql = $"""
        UPDATE accounts SET balance = balance + @amount, updated_at = @now
        WHERE owner_id = @owner AND kind = @kind AND shard = @shard AND (status = 'active' OR @any_status)
          AND ({SystemAccounts.NegativeAllowedSql} OR balance + @amount >= 0)
          AND (kind <> 'wallet' OR balance + @amount <= @max)
        RETURNING id, balance
        """;

    private const string InsertEntrySql = """
        INSERT INTO ledger_entries (id, transaction_id, account_id, amount, balance_after, created_at)
        VALUES (@entry_id, @transaction_id, @account_id, @amount, @balance, @now)
        """;

    /// <summary>The update and its entry as one statement: an entry exists only if the update matched.</summary>
    private const string MoveSql = $"""
        WITH moved AS ({UpdateSql})
        INSERT INTO ledger_entries (id, transaction_id, account_id, amount, balance_after, created_at)
        SELECT @entry_id, @transaction_id, id, @amount, balance, @now FROM moved
        RETURNING account_id, balance_after
        """;

    /// <summary>
    /// Writes the transaction row and, per posting in lock order, the balance update and its entry,
    /// as plain ADO.NET on the transaction's connection, between the purchase's own statements. One
    /// round trip where the driver batches (PostgreSQL); one statement at a time otherwise (SQLite).
    /// A null row means that posting's update matched nothing and wrote nothing.
    /// </summary>
    private async Task<List<BalanceRow?>> WriteAsync(
        LedgerTransaction tx, PostingRequest request, List<Posting> postings, LedgerBatch extra, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var rows = new List<BalanceRow?>(postings.Count);
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            // An idempotent request's key claim goes first, in the same round trip.
            var claim = db.TakeClaimFor()?.AddTo(batch);
            var results = new List<Func<DbDataReader, Task>>();
            void Add(string sql, IEnumerable<(string, object?)> values, Func<DbDataReader, Task>? read)
            {
                var command = batch.CreateBatchCommand();
                Prepare(command, sql, values);
                batch.BatchCommands.Add(command);
                if (read is not null)
                {
                    results.Add(read);
                }
            }

            foreach (var s in extra.Before)
            {
                Add(s.Sql, s.Values, s.Read is { } read ? r => read(r, ct) : null);
            }

            Add(InsertTransactionSql, TransactionValues(tx), null);
            foreach (var p in postings)
            {
                Add(MoveSql, [.. UpdateValues(request, p, tx.CreatedAt), ("entry_id", Guid.CreateVersion7()), ("transaction_id", tx.Id)],
                    async r => rows.Add(await ReadRowAsync(r, ct)));
            }

            foreach (var s in extra.After.Select(after => after(tx)))
            {
                Add(s.Sql, s.Values, s.Read is { } read ? r => read(r, ct) : null);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            for (var i = 0; i < results.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync(ct))
                {
                    throw new InvalidOperationException("A batch statement with a reader returned no result.");
                }

                await results[i](reader);
            }

            await reader.CloseAsync(); // completes the batch, so the claim's row count is known
            KeyClaim.EnsureWon(claim);
            return rows;
        }

        if (db.TakeClaimFor() is { } pending)
        {
            await pending.SendAsync(db, ct);
        }

        await RunAsync(connection, transaction, extra.Before, ct);
        await ExecuteAsync(connection, transaction, InsertTransactionSql, TransactionValues(tx), ct);

        foreach (var p in postings)
        {
            BalanceRow? row;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                Prepare(command, UpdateSql, UpdateValues(request, p, tx.CreatedAt));
                await using var reader = await command.ExecuteReaderAsync(ct);
                row = await ReadRowAsync(reader, ct);
            }

            if (row is not null)
            {
                await ExecuteAsync(connection, transaction, InsertEntrySql,
                    [("entry_id", Guid.CreateVersion7()), ("transaction_id", tx.Id), ("account_id", row.Id), ("amount", p.Amount),
                        ("balance", row.Balance), ("now", tx.CreatedAt)], ct);
            }

            rows.Add(row);
        }

        await RunAsync(connection, transaction, [.. extra.After.Select(after => after(tx))], ct);
        return rows;
    }

    private async Task RunAsync(DbConnection connection, DbTransaction transaction, List<BatchStatement> statements, CancellationToken ct)
    {
        foreach (var s in statements)
        {
            if (s.Read is null)
            {
                await ExecuteAsync(connection, transaction, s.Sql, s.Values, ct);
                continue;
            }

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            Prepare(command, s.Sql, s.Values);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await s.Read(reader, ct);
        }
    }

    private static async Task<BalanceRow?> ReadRowAsync(DbDataReader reader, CancellationToken ct) =>
        await reader.ReadAsync(ct) ? new BalanceRow(reader.GetGuid(0), reader.GetInt64(1)) : null;

    private static IEnumerable<(string, object?)> TransactionValues(LedgerTransaction tx) =>
    [
        ("id", tx.Id), ("kind", EnumText.Name(tx.Kind)), ("amount", tx.Amount), ("currency", tx.Currency), ("actor_id", tx.ActorId),
        ("note", tx.Note), ("reference", tx.Reference), ("request_id", tx.RequestId), ("idempotency_record_id", tx.IdempotencyRecordId),
        ("now", tx.CreatedAt),
    ];

    /// <summary>Returned funds were in the wallet before, so neither a freeze nor the cap stops them coming back; debits never
    /// pass.</summary>
    private (string, object?)[] UpdateValues(PostingRequest r, Posting p, DateTime now)
    {
        var returning = r.ReturnsFunds && p.Amount > 0;
        return
        [
            ("amount", p.Amount), ("now", now), ("owner", p.Account.OwnerId), ("kind", EnumText.Name(p.Account.Kind)),
            ("shard", p.Account.Shard),
            ("max", returning ? long.MaxValue : _revenue.Limits.MaxWalletBalance), ("any_status", returning || r.BypassFreeze),
        ];
    }

    private async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, IEnumerable<(string, object?)> values,
        CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        Prepare(command, sql, values);
        await command.ExecuteNonQueryAsync(ct);
    }

    private void Prepare(DbCommand command, string sql, IEnumerable<(string Name, object? Value)> values)
    {
        command.CommandText = sql;
        command.Parameters.AddValues(command.CreateParameter, ForProvider(values));
    }

    private void Prepare(DbBatchCommand command, string sql, IEnumerable<(string Name, object? Value)> values)
    {
        command.CommandText = sql;
        command.Parameters.AddValues(command.CreateParameter, ForProvider(values));
    }

    /// <summary>EF stores GUIDs as upper-case text in SQLite; PostgreSQL has a uuid type.</summary>
    private IEnumerable<(string Name, object? Value)> ForProvider(IEnumerable<(string Name, object? Value)> values) =>
        target.Provider == DatabaseProvider.Sqlite
            ? values.Select(v => (v.Name, v.Value is Guid g ? g.ToString().ToUpperInvariant() : v.Value))
            : values;

    private sealed record BalanceRow(Guid Id, long Balance);
}
