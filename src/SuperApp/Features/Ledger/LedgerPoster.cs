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
public sealed partial class LedgerPoster(AppDbContext db, TimeProvider time, IOptions<RevenueOptions> revenue, DatabaseTarget target,
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


    /// <summary>
    /// Creates a user's account if it does not exist yet, on its own (outside any unit of work) so that a retry can lock
    /// it, and only while the owner is active: a deleted or suspended user is given no account (docs/0005). On PostgreSQL
    /// the owner's row is share-locked for the insert, so a deletion commits before it (nothing is created) or after it
    /// (and freezes what was). SQLite has one writer.
    /// </summary>
    public Task<int> OpenAccountAsync(AccountRef account, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(
            db.Database.IsSqlite() ? OpenAccountSql + OnConflictSql : OpenAccountSql + LockOwnerSql + OnConflictSql,
            [Guid.CreateVersion7(), EnumText.Name(account.Kind), account.Shard, time.UtcNow(), account.OwnerId], ct);

    private const string OpenAccountSql = """
        INSERT INTO accounts (id, owner_id, kind, shard, balance, status, created_at, updated_at)
        SELECT {0}, u.id, {1}, {2}, 0, 'active', {3}, {3} FROM users u WHERE u.id = {4} AND u.status = 'active'
        """;

    private const string LockOwnerSql = " FOR SHARE OF u";
    private const string OnConflictSql = " ON CONFLICT (owner_id, kind, shard) DO NOTHING";

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

}
