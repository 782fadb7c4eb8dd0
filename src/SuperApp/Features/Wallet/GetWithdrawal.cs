using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public static class GetWithdrawal
{
    /// <summary>The Location of a requested withdrawal. Someone else's is answered exactly like a missing one.</summary>
    public static async Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, CancellationToken ct)
    {
        var userId = principal.UserId();
        var withdrawal = await db.Withdrawals.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id && w.UserId == userId, ct);
        return withdrawal is null
            ? Problems.NotFound("WITHDRAWAL_NOT_FOUND", "No such withdrawal.")
            : TypedResults.Ok(WithdrawalResponse.From(withdrawal, revenue.Value.Currency));
    }
}
