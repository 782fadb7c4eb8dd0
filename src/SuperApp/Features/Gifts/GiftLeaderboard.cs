using SuperApp.Features.Ledger;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Gifts;

public enum LeaderboardPeriod { Day, Week, Month, All }

public enum LeaderboardBoard { Receivers, Senders }

/// <summary>
/// A user's running gift total on one board for one period (UTC day, ISO week from Monday, month,
/// or all time). Kept up to date in the gift's own transaction, so the board is read top-N from
/// an index instead of summing gifts.
/// </summary>
public sealed class LeaderboardEntry
{
    public LeaderboardPeriod Period { get; set; }
    public DateTime PeriodStart { get; set; }
    public LeaderboardBoard Board { get; set; }
    public Guid UserId { get; set; }

    /// <summary>A receiver's totals are split over shards (<see cref="GiftOptions.LeaderboardShards"/>); a sender's are shard 0.</summary>
    public int Shard { get; set; }
    public long Total { get; set; }
    public long GiftCount { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class LeaderboardEntryConfiguration : IEntityTypeConfiguration<LeaderboardEntry>
{
    public void Configure(EntityTypeBuilder<LeaderboardEntry> b)
    {
        b.ToTable("gift_leaderboard", t => t.HasCheckConstraint("ck_gift_leaderboard_totals", "total >= 0 AND gift_count >= 0"));
        b.HasKey(e => new { e.Period, e.PeriodStart, e.Board, e.UserId, e.Shard });
        b.Property(e => e.Period).HasConversion(EnumText.Converter<LeaderboardPeriod>()).HasMaxLength(8);
        b.Property(e => e.Board).HasConversion(EnumText.Converter<LeaderboardBoard>()).HasMaxLength(16);
        // A board is read as one range of the key (period, start, board), each user's shards in a row: no index
        // holds the total, so the upsert of every gift changes no indexed column and stays a heap-only update.
    }
}

public static class GiftLeaderboard
{
    public static readonly DateTime AllTimeStart = DateTime.UnixEpoch;

    public static DateTime PeriodStart(LeaderboardPeriod period, DateTime at)
    {
        var day = DateTime.SpecifyKind(at.Date, DateTimeKind.Utc);
        return period switch
        {
            LeaderboardPeriod.Day => day,
            LeaderboardPeriod.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            LeaderboardPeriod.Month => new DateTime(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => AllTimeStart,
        };
    }

    /// <summary>
    /// Adds a gift to the sender's and the recipient's rows of every period in one statement, sent
    /// with the gift's posting. An upsert is atomic on both databases, so concurrent gifts never lose
    /// an update; rows are always listed in the same order, so two gifts never wait on each other in
    /// a cycle. The recipient's rows are those of the gift's shard, so a storm of gifts to one creator spreads.
    /// </summary>
    public static BatchStatement Record(Gift gift)
    {
        var at = gift.CreatedAt;
        return new BatchStatement("""
            INSERT INTO gift_leaderboard (period, period_start, board, user_id, shard, total, gift_count, updated_at) VALUES
              ('day', @d, 'receivers', @recipient, @shard, @amount, @count, @at),
              ('day', @d, 'senders', @sender, 0, @amount, @count, @at),
              ('week', @w, 'receivers', @recipient, @shard, @amount, @count, @at),
              ('week', @w, 'senders', @sender, 0, @amount, @count, @at),
              ('month', @m, 'receivers', @recipient, @shard, @amount, @count, @at),
              ('month', @m, 'senders', @sender, 0, @amount, @count, @at),
              ('all', @all, 'receivers', @recipient, @shard, @amount, @count, @at),
              ('all', @all, 'senders', @sender, 0, @amount, @count, @at)
            ON CONFLICT (period, period_start, board, user_id, shard) DO UPDATE SET
              total = gift_leaderboard.total + excluded.total,
              gift_count = gift_leaderboard.gift_count + excluded.gift_count,
              updated_at = excluded.updated_at
            """,
        [
            ("d", PeriodStart(LeaderboardPeriod.Day, at)), ("w", PeriodStart(LeaderboardPeriod.Week, at)),
            ("m", PeriodStart(LeaderboardPeriod.Month, at)), ("all", AllTimeStart), ("recipient", gift.RecipientId),
            ("sender", gift.SenderId), ("shard", gift.LeaderboardShard), ("amount", gift.Amount), ("count", (long)gift.Quantity),
            ("at", at),
        ]);
    }
}
