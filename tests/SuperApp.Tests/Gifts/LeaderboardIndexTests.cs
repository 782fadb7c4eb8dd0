using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Gifts;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Gifts;

/// <summary>
/// The leaderboard reads one range of its index (the period's board) however many rows the aggregate
/// holds for other periods: a receiver's shards are summed, then the top N taken.
/// </summary>
public sealed class LeaderboardIndexTests(App<Postgres, Defaults> app) : IClassFixture<App<Postgres, Defaults>>
{
    [Fact]
    public async Task The_leaderboard_query_reads_one_range_of_an_index_without_a_table_scan()
    {
        var day = new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);
        var plan = await app.WithDbAsync(async db =>
        {
            // 5,000 users on 400 days × 2 boards × 100 entries, so the planner has a reason to choose well.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO users (id, email, username, password_hash, role, tier, status, created_at, updated_at)
                SELECT gen_random_uuid(), 'lb' || i || '@example.com', 'lb' || i, '', 'user', 'free', 'active', now(), now()
                FROM generate_series(1, 5000) i;
                INSERT INTO gift_leaderboard (period, period_start, board, user_id, total, gift_count, updated_at)
                SELECT 'day', timestamptz '2025-06-01 00:00:00+00' + d * interval '1 day', b, u.id, (random() * 1000000)::bigint, 1, now()
                FROM generate_series(0, 399) d, unnest(ARRAY['receivers', 'senders']) b,
                    (SELECT id FROM users ORDER BY random() LIMIT 100) u;
                ANALYZE users;
                ANALYZE gift_leaderboard;
                """);
            await db.Database.OpenConnectionAsync();
            await using var command = GetLeaderboard.Top(db, LeaderboardPeriod.Day, day, LeaderboardBoard.Receivers, 10).CreateDbCommand();
            command.CommandText = "EXPLAIN " + command.CommandText;
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            return string.Join('\n', lines);
        });

        Assert.Matches("Index (Only )?Scan using (pk|ix)_gift_leaderboard", plan);
        Assert.False(plan.Contains("Seq Scan on gift_leaderboard", StringComparison.Ordinal), plan);
    }
}
