namespace SuperApp.Features.Ledger;

/// <summary>A creator's pending earnings: one account per shard (<see cref="LedgerOptions.EarningsShards"/>), read as one.</summary>
public static class EarningsShards
{
    public sealed record Shard(Guid Id, int Number, long Balance, string Status)
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
                SELECT id, shard AS number, balance, status FROM accounts
                WHERE owner_id = {creatorId} AND kind = 'earnings_pending' ORDER BY shard
                """)
            : db.Database.SqlQuery<Shard>($"""
                SELECT id, shard AS number, balance, status FROM accounts
                WHERE owner_id = {creatorId} AND kind = 'earnings_pending' ORDER BY shard FOR UPDATE
                """)).ToListAsync(ct);

    /// <summary>
    /// Postings that take <paramref name="amount"/> out of the shards, lowest shard first, each at most
    /// what it holds (the caller has checked that together they hold enough).
    /// </summary>
    public static List<Posting> Debits(Guid creatorId, IEnumerable<Shard> shards, long amount)
    {
        var postings = new List<Posting>();
        foreach (var shard in shards.Where(s => s.Balance > 0))
        {
            var take = Math.Min(amount, shard.Balance);
            if (take == 0)
            {
                break;
            }

            postings.Add(new Posting(shard.Account(creatorId), -take));
            amount -= take;
        }

        return postings;
    }
}
