using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;
using SuperApp.Features.Realtime;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Ledger;

/// <summary>
/// The only code that changes balances. Each posting is one conditional UPDATE … RETURNING (no
/// read-modify-write), taken in <see cref="AccountRef"/> order so concurrent postings cannot
/// deadlock, and its entry is written from the balance that update returned. System accounts named
/// without a shard get the shard picked for the transaction (one at random of
/// <see cref="LedgerOptions.SystemAccountShards"/>), so concurrent purchases rarely share a row. On PostgreSQL the
/// transaction row, every update and every entry go in one batch (each update and its entry as one
/// statement), behind the request's idempotency claim if it has one. The audit row is staged in the
/// DbContext and saved with the rest of the unit of work just before
/// <see cref="UnitOfWork"/> commits. Must run inside that method.
/// </summary>
public sealed class LedgerPoster(AppDbContext db, TimeProvider time, IOptions<RevenueOptions> revenue, DatabaseTarget target,
    RealtimeOutbox outbox, PostingTally tally, IOptions<LedgerOptions> ledger)
{
    private readonly RevenueOptions _revenue = revenue.Value;
    private readonly int _shards = ledger.Value.SystemAccountShards;
    private readonly int _earningsShards = ledger.Value.EarningsShards;

    /// <summary>Posts <paramref name="request"/>, with a purchase's own statements and checks in <paramref name="batch"/>.</summary>
    public async Task<PostedTransaction> PostAsync(PostingRequest request, AuditContext audit, CancellationToken ct,
        LedgerBatch? batch = null)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Ledger postings must run inside a unit of work (db.RunAsync).");
        }

        var (shard, earningsShard) = (Random.Shared.Next(_shards), Random.Shared.Next(_earningsShards));
        var postings = request.Postings.Select(p => p.Account.Shard == AccountRef.AnyShard
            ? p with { Account = p.Account with { Shard = p.Account.IsUserAccount ? earningsShard : shard } }
            : p).ToList();
        Validate(request, postings);
        var now = time.UtcNow();
        var tx = new LedgerTransaction
        {
            Kind = request.Kind,
            Amount = request.Amount,
            Currency = _revenue.Currency,
            ActorId = audit.ActorId,
            Note = request.Note,
            Reference = request.Reference,
            RequestId = audit.RequestId,
            IdempotencyRecordId = db.TakeClaimRecordId(),
            CreatedAt = now,
        };

        var after = new Dictionary<AccountRef, long>();
        var ordered = AccountRef.InLockOrder(postings, p => p.Account).ToList();
        batch ??= new LedgerBatch();
        var rows = await WriteAsync(tx, request, ordered, batch, ct);
        foreach (var check in batch.Checks)
        {
            check();
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            var row = rows[i] ?? throw await WhyMissedAsync(ordered[i], request.BypassFreeze, now, ct);
            after[ordered[i].Account] = row.Balance;
            if (ordered[i].Account is { Kind: AccountKind.Wallet, IsUserAccount: true } wallet)
            {
                // Written with the posting's commit (the outbox), in lock order; pushed to the owner after it.
                outbox.Stage(db, wallet.OwnerId, WalletEvents.BalanceChanged,
                    new WalletBalanceChanged(row.Balance, tx.Id, tx.Kind, ordered[i].Amount));
            }
        }

        foreach (var check in batch.ChecksAfter)
        {
            check();
        }

        tally.Staged(db, EnumText.Name(request.Kind), request.Amount);
        audit.Record(db, "ledger." + EnumText.Name(request.Kind), "ledger_transaction", tx.Id.ToString(),
            before: postings.ToDictionary(p => Label(p.Account), p => after[p.Account] - p.Amount),
            after: postings.ToDictionary(p => Label(p.Account), p => after[p.Account]),
            now, tx.Id);
        return new PostedTransaction(tx, after);
    }

    /// <summary>
    /// Why a posting's update matched no row: frozen, insufficient funds or over the limit.
    /// If none holds, the account was created or changed after the update's snapshot, or does not
    /// exist yet; then the whole unit of work is retried (once a missing user account is created),
    /// never just this update, which could take a lock out of order and deadlock.
    /// </summary>
    private async Task<Exception> WhyMissedAsync(Posting posting, bool bypassFreeze, DateTime now, CancellationToken ct)
    {
        var (account, amount) = (posting.Account, posting.Amount);
        var current = await db.Accounts.AsNoTracking()
            .Where(a => a.OwnerId == account.OwnerId && a.Kind == account.Kind && a.Shard == account.Shard)
            .Select(a => new { a.Status, a.Balance })
            .FirstOrDefaultAsync(ct);

        return current switch
        {
            null when amount > 0 && account.Kind == AccountKind.Wallet => new UnitOfWork.RetryException($"{account} has no account yet.")
                .AfterRollback(ct => CreateAccountAsync(account, now, ct)),
            null when (amount > 0 && account.IsUserAccount) || account.IsSystemAccount =>
                new UnitOfWork.RetryException($"{account} has no shard row yet.").AfterRollback(ct => CreateShardsAsync(account, now, ct)),
            { Status: AccountStatus.Frozen } when !bypassFreeze => new ApiException(403, "WALLET_FROZEN", "The wallet is frozen."),
            _ when amount < 0 && !SystemAccounts.MayGoNegative(account.Kind) && (current?.Balance ?? 0) + amount < 0 =>
                new ApiException(422, "INSUFFICIENT_FUNDS", "The balance is too low for this payment."),
            { Balance: var balance } when amount > 0 && account.Kind == AccountKind.Wallet
                && balance + amount > _revenue.Limits.MaxWalletBalance =>
                new ApiException(422, "LIMIT_EXCEEDED", "This would take the wallet over its maximum balance.",
                    $"A wallet may hold at most {_revenue.Limits.MaxWalletBalance}."),
            { Status: var status } when status == AccountStatus.Active || bypassFreeze =>
                new UnitOfWork.RetryException($"{account} changed after the update's snapshot."),
            _ => new InvalidOperationException($"Account {account} cannot take this posting."),
        };
    }

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

    private Task<int> CreateAccountAsync(AccountRef account, DateTime now, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO accounts (id, owner_id, kind, shard, balance, status, created_at, updated_at)
            VALUES ({Guid.CreateVersion7()}, {account.OwnerId}, {EnumText.Name(account.Kind)}, {account.Shard}, 0, 'active', {now}, {now})
            ON CONFLICT (owner_id, kind, shard) DO NOTHING
            """, ct);

    /// <summary>
    /// All shards of a sharded account at once (a system account, a creator's pending earnings), so
    /// the retry finds whichever shard it picks next: each is created once, on first use.
    /// </summary>
    private async Task CreateShardsAsync(AccountRef account, DateTime now, CancellationToken ct)
    {
        var count = account.IsSystemAccount ? _shards : _earningsShards;
        for (var shard = 0; shard < Math.Max(count, account.Shard + 1); shard++)
        {
            await CreateAccountAsync(account with { Shard = shard }, now, ct);
        }
    }

    private static void Validate(PostingRequest r, List<Posting> postings)
    {
        if (r.Amount <= 0 || postings.Count < 2 || postings.Any(p => p.Amount == 0) ||
            postings.Sum(p => p.Amount) != 0 || postings.Select(p => p.Account).Distinct().Count() != postings.Count)
        {
            throw new InvalidOperationException($"Unbalanced or malformed posting for {r.Kind}.");
        }
    }

    private static string Label(AccountRef a) => a switch
    {
        { IsSystemAccount: true } => $"{EnumText.Name(a.Kind)}#{a.Shard}",
        { Shard: 0 } => $"{EnumText.Name(a.Kind)}:{a.OwnerId}",
        _ => $"{EnumText.Name(a.Kind)}:{a.OwnerId}#{a.Shard}",
    };

    private sealed record BalanceRow(Guid Id, long Balance);
}
