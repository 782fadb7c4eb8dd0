using System.Linq.Expressions;
using SuperApp.Features.Ledger;

namespace SuperApp.Features.Gifts;

public static class ListGifts
{
    public static Task<Results<Ok<Page<GiftItem>>, ProblemHttpResult>> Sent(
        ClaimsPrincipal principal, AppDbContext db, IOptions<GiftOptions> gifts, IOptions<RevenueOptions> revenue, int? limit,
            string? cursor, CancellationToken ct)
    {
        var me = principal.UserId();
        return PageAsync(db, g => g.SenderId == me, gifts.Value, revenue.Value.Currency, limit, cursor, ct);
    }

    public static Task<Results<Ok<Page<GiftItem>>, ProblemHttpResult>> Received(
        ClaimsPrincipal principal, AppDbContext db, IOptions<GiftOptions> gifts, IOptions<RevenueOptions> revenue, int? limit,
            string? cursor, CancellationToken ct)
    {
        var me = principal.UserId();
        return PageAsync(db, g => g.RecipientId == me, gifts.Value, revenue.Value.Currency, limit, cursor, ct);
    }

    private static async Task<Results<Ok<Page<GiftItem>>, ProblemHttpResult>> PageAsync(
        AppDbContext db, Expression<Func<Gift, bool>> mine, GiftOptions gifts, string currency, int? limit, string? cursor,
            CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        var page = await db.Gifts.Where(mine).ToPageAsync(after, limit, g => g, ct);
        var ids = page.Items.SelectMany(g => new[] { g.SenderId, g.RecipientId }).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Username, ct);
        var items = page.Items.Select(g => new GiftItem(
            g.Id, g.GiftType, gifts.Find(g.GiftType)?.Name ?? g.GiftType, g.Quantity, g.UnitPrice, g.Amount, g.CreatorShare, currency,
            new GiftParty(g.SenderId, names[g.SenderId]), new GiftParty(g.RecipientId, names[g.RecipientId]), g.Message, g.TransactionId,
                g.CreatedAt))
            .ToList();
        return TypedResults.Ok(new Page<GiftItem>(items, page.NextCursor));
    }
}
