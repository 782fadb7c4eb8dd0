namespace SuperApp.Features.Wallet;

public static class GetTransaction
{
    /// <summary>Someone else's transaction is answered exactly like a missing one.</summary>
    public static async Task<Results<Ok<WalletTransaction>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, AppDbContext db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var walletId = await WalletHistory.WalletIdAsync(db, userId, ct);
        var entry = await db.LedgerEntries.AsNoTracking().FirstOrDefaultAsync(e => e.TransactionId == id && e.AccountId == walletId, ct);
        if (entry is null)
        {
            return Problems.NotFound("TRANSACTION_NOT_FOUND", "No such transaction.");
        }

        return TypedResults.Ok((await WalletHistory.DescribeAsync(db, userId, [entry], ct))[0]);
    }
}
