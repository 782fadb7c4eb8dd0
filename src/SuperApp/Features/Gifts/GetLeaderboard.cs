using SuperApp.Features.Ledger;
using SuperApp.Features.Users;

namespace SuperApp.Features.Gifts;

public sealed record LeaderboardUser(Guid Id, string Username, string? DisplayName);

public sealed record LeaderboardRow(long Total, long GiftCount, LeaderboardUser User);

public sealed record LeaderboardItem(int Rank, LeaderboardUser User, long Total, long Count);

public sealed record LeaderboardResponse(
    LeaderboardPeriod Period, LeaderboardBoard Board, DateTime PeriodStart, string Currency, IReadOnlyList<LeaderboardItem> Items);

public static class GetLeaderboard
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    /// <summary>
    /// The current period's top users by gift total. Accounts that are suspended or deleted are
    /// left out, as their profiles are elsewhere. Equal totals share a rank.
    /// </summary>
    public static async Task<Results<Ok<LeaderboardResponse>, ProblemHttpResult>> Handle(
        AppDbContext db, TimeProvider time, IOptions<RevenueOptions> revenue, string? period, string? board, int? limit,
            CancellationToken ct)
    {
        var p = LeaderboardPeriod.All;
        if (period is not null && !EnumText.TryParse(period, out p))
        {
            return Problems.Validation("period", "The period is one of day, week, month, all.");
        }

        var b = LeaderboardBoard.Receivers;
        if (board is not null && !EnumText.TryParse(board, out b))
        {
            return Problems.Validation("board", "The board is one of receivers, senders.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Validation("limit", $"The limit is from 1 to {MaxLimit}.");
        }

        var start = GiftLeaderboard.PeriodStart(p, time.UtcNow());
        var rows = await Top(db, p, start, b, limit ?? DefaultLimit).ToListAsync(ct);

        var items = new List<LeaderboardItem>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var rank = i > 0 && rows[i].Total == rows[i - 1].Total ? items[i - 1].Rank : i + 1;
            items.Add(new LeaderboardItem(rank, rows[i].User, rows[i].Total, rows[i].GiftCount));
        }

        return TypedResults.Ok(new LeaderboardResponse(p, b, start, revenue.Value.Currency, items));
    }

    /// <summary>
    /// The board's rows for the period (one range of its index), each user's shards summed, the
    /// first <paramref name="limit"/> visible users by total.
    /// </summary>
    public static IQueryable<LeaderboardRow> Top(AppDbContext db, LeaderboardPeriod period, DateTime start, LeaderboardBoard board,
        int limit) =>
        (from t in
             from e in db.GiftLeaderboard
             where e.Period == period && e.PeriodStart == start && e.Board == board
             group e by e.UserId into g
             select new { UserId = g.Key, Total = g.Sum(x => x.Total), GiftCount = g.Sum(x => x.GiftCount) }
         // A user whose every gift was refunded keeps rows at zero; they are not on the board.
         where t.Total > 0
         join u in db.Users on t.UserId equals u.Id
         where u.Status == UserStatus.Active
         orderby t.Total descending, t.UserId
         select new LeaderboardRow(t.Total, t.GiftCount, new LeaderboardUser(u.Id, u.Username, u.DisplayName)))
        .Take(limit).AsNoTracking();
}
