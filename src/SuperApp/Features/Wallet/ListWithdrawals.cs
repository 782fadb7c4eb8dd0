using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public static class ListWithdrawals
{
    /// <summary>The caller's own withdrawals, newest first.</summary>
    public static Task<Results<Ok<Page<WithdrawalResponse>>, ProblemHttpResult>> Mine(
        ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, int? limit, string? cursor, CancellationToken ct)
    {
        var userId = principal.UserId();
        return PageAsync(db.Withdrawals.Where(w => w.UserId == userId), revenue.Value.Currency, limit, cursor, ct);
    }

    /// <summary>Admin queue, optionally by status.</summary>
    public static async Task<Results<Ok<Page<WithdrawalResponse>>, ProblemHttpResult>> All(
        AppDbContext db, IOptions<RevenueOptions> revenue, string? status, int? limit, string? cursor, CancellationToken ct)
    {
        if (!EnumText.TryParseOptional<WithdrawalStatus>(status, out var filter))
        {
            return Problems.Validation("status", "The status is one of pending, approved, rejected.");
        }

        return await PageAsync(filter is { } s ? db.Withdrawals.Where(w => w.Status == s) : db.Withdrawals, revenue.Value.Currency, limit,
            cursor, ct);
    }

    private static async Task<Results<Ok<Page<WithdrawalResponse>>, ProblemHttpResult>> PageAsync(
        IQueryable<Withdrawal> query, string currency, int? limit, string? cursor, CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        return TypedResults.Ok(await query.ToPageAsync(after, limit, w => WithdrawalResponse.From(w, currency), ct));
    }
}
