using SuperApp.Features.Ledger;
using SuperApp.Features.Wallet;

namespace SuperApp.Features.Creators;

public static class RevenueHistory
{
    /// <summary>
    /// The pending earnings account's statement, newest first: shares coming in (with who paid) and
    /// settlements going out to the wallet. Lines have the wallet statement's shape.
    /// </summary>
    public static async Task<Results<Ok<Page<WalletTransaction>>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, string? kind, int? limit, string? cursor, CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        if (!EnumText.TryParseOptional<TransactionKind>(kind, out var filter))
        {
            return Problems.Validation("kind", "Unknown transaction kind.");
        }

        var creatorId = principal.UserId();
        var accountIds = await CreatorEarnings.AccountIdsAsync(db, creatorId, ct);
        if (accountIds.Count == 0)
        {
            return TypedResults.Ok(new Page<WalletTransaction>([], null));
        }

        return TypedResults.Ok(await WalletHistory.PageAsync(db, creatorId, accountIds, filter, limit, after, ct));
    }
}
