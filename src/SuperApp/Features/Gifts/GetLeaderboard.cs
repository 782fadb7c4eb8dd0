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

    /// <summary>A walk down the board's index that stops after <paramref name="limit"/> visible users.</summary>
    public static IQueryable<LeaderboardRow> Top(AppDbContext db, LeaderboardPeriod period, DateTime start, LeaderboardBoard board,
        int limit) =>
        (from e in db.GiftLeaderboard
         where e.Period == period && e.PeriodStart == start && e.Board == board
         join u in db.Users on e.UserId equals u.Id
         where u.Status == UserStatus.Active
         orderby e.Total descending, e.UserId
         select new LeaderboardRow(e.Total, e.GiftCount, new LeaderboardUser(u.Id, u.Username, u.DisplayName)))
        .Take(limit).AsNoTracking();
}
