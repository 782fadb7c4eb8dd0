using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public sealed record BalanceResponse(long Balance, string Currency, AccountStatus Status, long PendingEarnings);

public static class GetBalance
{
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<BalanceResponse>> Handle(
        ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, CancellationToken ct)
    {
        var userId = principal.UserId();
        // Accounts are created on first credit, so a new user simply has none yet.
        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => a.OwnerId == userId)
            .Select(a => new { a.Kind, a.Balance, a.Status })
            .ToListAsync(ct);
        var wallet = accounts.FirstOrDefault(a => a.Kind == AccountKind.Wallet);
        var pending = accounts.Where(a => a.Kind == AccountKind.EarningsPending).Sum(a => a.Balance); // all its shards
        return TypedResults.Ok(new BalanceResponse(wallet?.Balance ?? 0, revenue.Value.Currency, wallet?.Status ?? AccountStatus.Active,
            pending));
    }
}
