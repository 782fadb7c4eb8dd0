using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Platform.Audit;
using SuperApp.Platform.Errors;
using SuperApp.Platform.Idempotency;

namespace SuperApp.Features.Ledger;

/// <summary>
/// The only code that changes balances. Each posting is one conditional UPDATE … RETURNING (no
/// read-modify-write), taken in <see cref="AccountRef"/> order so concurrent postings cannot
/// deadlock, all sent in one batch. The transaction, its entries and the audit row are staged in the
/// DbContext and saved with the rest of the unit of work (by the caller's SaveChanges or, at the
/// latest, just before <see cref="MoneyTransaction.RunAsync{T}"/> commits), saving a round trip.
/// Must run inside <see cref="MoneyTransaction.RunAsync{T}"/>.
/// </summary>
public sealed class LedgerPoster(AppDbContext db, TimeProvider time, IOptions<RevenueOptions> revenue, IdempotencyStore idempotency, DatabaseTarget target)
{
    private readonly RevenueOptions _revenue = revenue.Value;

    public async Task<PostedTransaction> PostAsync(PostingRequest request, AuditContext audit, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Ledger postings must run inside MoneyTransaction.RunAsync.");
        }

        Validate(request);
        var now = time.GetUtcNow().UtcDateTime;
        var tx = new LedgerTransaction
        {
            Kind = request.Kind,
            Amount = request.Amount,
            Currency = _revenue.Currency,
            ActorId = audit.ActorId,
            Note = request.Note,
            Reference = request.Reference,
            RequestId = audit.RequestId,
            IdempotencyRecordId = request.IdempotencyRecordId ?? idempotency.TakeRecordId(),
            CreatedAt = now,
        };

        var after = new Dictionary<AccountRef, long>();
        // The one order every posting locks accounts in, so two postings can never deadlock.
        var ordered = request.Postings.OrderBy(p => p.Account.OwnerId).ThenBy(p => p.Account.Kind).ToList();
        var rows = await UpdateAllAsync(ordered, now, ct);
        for (var i = 0; i < ordered.Count; i++)
        {
            var posting = ordered[i];
            var row = rows[i] ?? await ApplyAsync(posting, now, ct);
            tx.Entries.Add(new LedgerEntry { TransactionId = tx.Id, AccountId = row.Id, Amount = posting.Amount, BalanceAfter = row.Balance, CreatedAt = now });
            after[posting.Account] = row.Balance;
        }

        db.LedgerTransactions.Add(tx);
        audit.Record(db, "ledger." + EnumText.Name(request.Kind), "ledger_transaction", tx.Id.ToString(),
            before: request.Postings.ToDictionary(p => Label(p.Account), p => after[p.Account] - p.Amount),
            after: request.Postings.ToDictionary(p => Label(p.Account), p => after[p.Account]),
            now, tx.Id);
        return new PostedTransaction(tx, after);
    }

    /// <summary>
    /// The slow path of a posting whose update matched no row: creates a missing user account and
    /// retries once, or explains the refusal (frozen, insufficient funds, over the limit).
    /// </summary>
    private async Task<BalanceRow> ApplyAsync(Posting posting, DateTime now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (attempt > 0 && (await UpdateAllAsync([posting], now, ct))[0] is { } row)
            {
                return row;
            }

            var current = await db.Accounts.AsNoTracking()
                .Where(a => a.OwnerId == posting.Account.OwnerId && a.Kind == posting.Account.Kind)
                .Select(a => new { a.Status, a.Balance })
                .FirstOrDefaultAsync(ct);

            if (current is null && posting.Amount > 0 && posting.Account.IsUserAccount)
            {
                await CreateAccountAsync(posting.Account, now, ct);
                continue;
            }

            throw current switch
            {
                { Status: AccountStatus.Frozen } => new ApiException(403, "WALLET_FROZEN", "The wallet is frozen."),
                _ when posting.Amount < 0 => new ApiException(422, "INSUFFICIENT_FUNDS", "The balance is too low for this payment."),
                _ => new ApiException(422, "LIMIT_EXCEEDED", "This would take the wallet over its maximum balance.",
                    $"A wallet may hold at most {_revenue.Limits.MaxWalletBalance}."),
            };
        }

        throw new InvalidOperationException($"Account {posting.Account} could not be created.");
    }

    private const string UpdateSql = """
        UPDATE accounts SET balance = balance + @amount, updated_at = @now
        WHERE owner_id = @owner AND kind = @kind AND status = 'active'
          AND (kind = 'external_funding' OR balance + @amount >= 0)
          AND (kind <> 'wallet' OR balance + @amount <= @max)
        RETURNING id, balance
        """;

    /// <summary>
    /// The hot statements of every posting, one per account in lock order, as plain ADO.NET on the
    /// transaction's connection; sent in one round trip where the driver can batch them. A null row
    /// means that account's update matched nothing.
    /// </summary>
    private async Task<List<BalanceRow?>> UpdateAllAsync(List<Posting> postings, DateTime now, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var rows = new List<BalanceRow?>(postings.Count);
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            // An idempotent request's key claim goes first, in the same round trip.
            var claim = idempotency.AddPendingClaim(batch);
            foreach (var p in postings)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = UpdateSql;
                AddParameters(command.Parameters, command.CreateParameter, p, now);
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            do
            {
                rows.Add(await ReadRowAsync(reader, ct));
            }
            while (await reader.NextResultAsync(ct));

            await reader.CloseAsync(); // completes the batch, so the claim's row count is known
            IdempotencyStore.EnsureWon(claim);
            return rows;
        }

        await idempotency.ClaimPendingAsync(ct);
        foreach (var p in postings)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = UpdateSql;
            AddParameters(command.Parameters, command.CreateParameter, p, now);
            await using var reader = await command.ExecuteReaderAsync(ct);
            rows.Add(await ReadRowAsync(reader, ct));
        }

        return rows;
    }

    private static async Task<BalanceRow?> ReadRowAsync(DbDataReader reader, CancellationToken ct) =>
        await reader.ReadAsync(ct) ? new BalanceRow(reader.GetGuid(0), reader.GetInt64(1)) : null;

    private void AddParameters(DbParameterCollection parameters, Func<DbParameter> create, Posting p, DateTime now)
    {
        void Add(string name, object value)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value;
            parameters.Add(parameter);
        }

        Add("amount", p.Amount);
        Add("now", now);
        // EF stores GUIDs as upper-case text in SQLite; PostgreSQL has a uuid type.
        Add("owner", target.Provider == DatabaseProvider.Sqlite ? p.Account.OwnerId.ToString().ToUpperInvariant() : p.Account.OwnerId);
        Add("kind", EnumText.Name(p.Account.Kind));
        Add("max", _revenue.Limits.MaxWalletBalance);
    }

    private Task<int> CreateAccountAsync(AccountRef account, DateTime now, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO accounts (id, owner_id, kind, balance, status, created_at, updated_at)
            VALUES ({Guid.CreateVersion7()}, {account.OwnerId}, {EnumText.Name(account.Kind)}, 0, 'active', {now}, {now})
            ON CONFLICT (owner_id, kind) DO NOTHING
            """, ct);

    private static void Validate(PostingRequest r)
    {
        if (r.Amount <= 0 || r.Postings.Count < 2 || r.Postings.Any(p => p.Amount == 0) ||
            r.Postings.Sum(p => p.Amount) != 0 || r.Postings.Select(p => p.Account).Distinct().Count() != r.Postings.Count)
        {
            throw new InvalidOperationException($"Unbalanced or malformed posting for {r.Kind}.");
        }
    }

    private static string Label(AccountRef a) => a.OwnerId == SystemAccounts.Owner
        ? EnumText.Name(a.Kind)
        : $"{EnumText.Name(a.Kind)}:{a.OwnerId}";

    private sealed record BalanceRow(Guid Id, long Balance);
}
