namespace SuperApp.Features.Ledger;

/// <summary>A creator's pending earnings: one account per shard (<see cref="LedgerOptions.EarningsShards"/>), read as one.</summary>
public static class EarningsShards
{
    public sealed record Shard(Guid Id, int Number, long Balance)
    {
        public AccountRef Account(Guid creatorId) => AccountRef.Earnings(creatorId, Number);
    }

    /// <summary>
    /// Locks every shard of the creator's pending earnings, in shard order (the ledger's order), and
    /// returns each with its latest committed balance. On SQLite the write lock is the database's.
    /// </summary>
    public static Task<List<Shard>> LockAsync(AppDbContext db, Guid creatorId, CancellationToken ct) =>
        (db.Database.IsSqlite()
            ? db.Database.SqlQuery<Shard>($"""
                SELECT id, shard AS number, balance FROM accounts
                WHERE owner_id = {creatorId} AND kind = 'earnings_pending' ORDER BY shard
                """)
            : db.Database.SqlQuery<Shard>($"""
                SELECT id, shard AS number, balance FROM accounts
                WHERE owner_id = {creatorId} AND kind = 'earnings_pending' ORDER BY shard FOR UPDATE
                """)).ToListAsync(ct);

    /// <summary>
    /// Postings that take <paramref name="amount"/> out of the shards in the order given, each at most
    /// what it can give (the caller has checked that together they hold enough).
    /// </summary>
    public static List<Posting> Debits(IEnumerable<(AccountRef Account, long Available)> shards, long amount)
    {
        var postings = new List<Posting>();
        foreach (var (account, available) in shards)
        {
            var take = Math.Min(amount, available);
            if (take > 0)
            {
                postings.Add(new Posting(account, -take));
                amount -= take;
            }
        }

        return postings;
    }
}
