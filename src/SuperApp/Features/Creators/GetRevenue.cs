using SuperApp.Features.Ledger;

namespace SuperApp.Features.Creators;

public sealed record RevenueBySource(long Unlocks, long Subscriptions, long Gifts);

/// <summary>
/// <c>pending</c> is not yet in the wallet, <c>settled</c> has been moved there so far, and
/// <c>lifetime</c> is every credit ever earned; <c>bySource</c> splits the creator shares by kind.
/// </summary>
public sealed record RevenueResponse(long Pending, long Settled, long Lifetime, RevenueBySource BySource, string Currency);

public static class GetRevenue
{
    public static async Task<Ok<RevenueResponse>> Handle(
        ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, CancellationToken ct)
    {
        var currency = revenue.Value.Currency;
        var accountIds = await CreatorEarnings.AccountIdsAsync(db, principal.UserId(), ct);
        if (accountIds.Count == 0)
        {
            return TypedResults.Ok(new RevenueResponse(0, 0, 0, new RevenueBySource(0, 0, 0), currency));
        }

        var sums = await CreatorEarnings.Entries(db, accountIds)
            .GroupBy(e => new { e.Kind, Credit = e.Amount > 0 })
            .Select(g => new { g.Key.Kind, g.Key.Credit, Sum = g.Sum(e => e.Amount) })
            .ToListAsync(ct);
        var pending = await db.Accounts.Where(a => accountIds.Contains(a.Id)).SumAsync(a => a.Balance, ct);

        long Credits(TransactionKind kind) => sums.Where(s => s.Credit && s.Kind == kind).Sum(s => s.Sum);
        var settled = -sums.Where(s => !s.Credit && s.Kind == TransactionKind.Settlement).Sum(s => s.Sum);
        var lifetime = sums.Where(s => s.Credit).Sum(s => s.Sum);
        return TypedResults.Ok(new RevenueResponse(pending, settled, lifetime,
            new RevenueBySource(Credits(TransactionKind.Unlock), Credits(TransactionKind.Subscription), Credits(TransactionKind.Gift)),
                currency));
    }
}
