using System.Globalization;
using SuperApp.Features.Ledger;

namespace SuperApp.Features.Creators;

public sealed record RevenueMonth(string Month, long Unlocks, long Subscriptions, long Gifts, long Total);

public sealed record RevenueChartResponse(int Months, string Currency, IReadOnlyList<RevenueMonth> Items);

public static class RevenueChart
{
    public const int DefaultMonths = 6;
    public const int MaxMonths = 24;

    /// <summary>Creator shares earned per calendar month (UTC) and source, oldest first, the current month last.</summary>
    public static async Task<Results<Ok<RevenueChartResponse>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, TimeProvider time, IOptions<RevenueOptions> revenue, int? months, CancellationToken ct)
    {
        if (months is < 1 or > MaxMonths)
        {
            return Problems.Validation("months", $"The number of months is from 1 to {MaxMonths}.");
        }

        var count = months ?? DefaultMonths;
        var now = time.UtcNow();
        var first = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1 - count);
        var accountIds = await CreatorEarnings.AccountIdsAsync(db, principal.UserId(), ct);
        var sums = accountIds.Count > 0
            ? await CreatorEarnings.Entries(db, accountIds)
                .Where(e => e.Amount > 0 && e.CreatedAt >= first && TransactionKinds.Purchases.Contains(e.Kind))
                .GroupBy(e => new { e.CreatedAt.Year, e.CreatedAt.Month, e.Kind })
                .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Kind, Sum = g.Sum(e => e.Amount) })
                .ToListAsync(ct)
            : [];

        var items = Enumerable.Range(0, count).Select(i =>
        {
            var month = first.AddMonths(i);
            long Of(TransactionKind kind) => sums.Where(s => s.Year == month.Year && s.Month == month.Month && s.Kind == kind)
                .Sum(s => s.Sum);
            var (unlocks, subscriptions, gifts) = (Of(TransactionKind.Unlock), Of(TransactionKind.Subscription), Of(TransactionKind.Gift));
            return new RevenueMonth(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), unlocks, subscriptions, gifts,
                unlocks + subscriptions + gifts);
        }).ToList();
        return TypedResults.Ok(new RevenueChartResponse(count, revenue.Value.Currency, items));
    }
}
