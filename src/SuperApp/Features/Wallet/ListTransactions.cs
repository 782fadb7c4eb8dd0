using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public static class ListTransactions
{
    public static async Task<Results<Ok<Page<WalletTransaction>>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, string? kind, int? limit, string? cursor, CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        TransactionKind parsed = default;
        if (kind is not null && !EnumText.TryParse(kind, out parsed))
        {
            return Problems.Validation("kind", "Unknown transaction kind.");
        }

        var userId = principal.UserId();
        if (await WalletHistory.WalletIdAsync(db, userId, ct) is not { } walletId)
        {
            return TypedResults.Ok(new Page<WalletTransaction>([], null));
        }

        return TypedResults.Ok(await WalletHistory.PageAsync(db, userId, [walletId], kind is null ? null : parsed, limit, after, ct));
    }
}
