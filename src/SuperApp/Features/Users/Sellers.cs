namespace SuperApp.Features.Users;

/// <summary>
/// Whether a user may be paid for what they sell (content, subscriptions, gifts): only while their
/// account is active. A deleted or suspended creator stops selling at once (DESIGN 3.1).
/// </summary>
public static class Sellers
{
    /// <summary>
    /// Whether the user is active, asked inside a money transaction and answered so that it stays true until the commit.
    /// On PostgreSQL a share lock on the user row: sales never wait on each other, but a deletion or
    /// suspension (an update of that row) waits for sales in flight, and sales after it see the new
    /// status. Taken before any ledger posting, so the lock order is always user row, then accounts
    /// (the order a deletion takes them in). SQLite has one writer, so a plain read is enough there.
    /// </summary>
    public static async Task<bool> LockActiveAsync(AppDbContext db, Guid userId, CancellationToken ct)
    {
        var rows = db.Database.IsSqlite()
            ? await db.Database.SqlQuery<Guid>($"""SELECT id AS "Value" FROM users WHERE id = {userId} AND status = 'active'""")
                .ToListAsync(ct)
            : await db.Database.SqlQuery<Guid>($"""SELECT id AS "Value" FROM users WHERE id = {userId} AND status = 'active' FOR SHARE""")
                .ToListAsync(ct);
        return rows.Count == 1;
    }
}
