using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

public sealed record UnlockedItem(Guid UnlockId, long PricePaid, string Currency, DateTime UnlockedAt, ContentResponse Content);

public static class ListUnlocked
{
    /// <summary>
    /// What the caller bought, newest purchase first. Deleted content stays listed (marked
    /// <c>deleted</c>): the purchase happened and its record is the buyer's.
    /// </summary>
    public static async Task<Results<Ok<Page<UnlockedItem>>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, int? limit, string? cursor, CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        var userId = principal.UserId();
        var currency = revenue.Value.Currency;
        var page = await db.ContentUnlocks.Where(u => u.UserId == userId).ToPageAsync(after, limit, u => u, ct);
        var ids = page.Items.Select(u => u.ContentId).ToList();
        var contents = await db.PremiumContents.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(ct);
        var described = (await ContentView.DescribeManyAsync(db, contents, currency,
            contents.ToDictionary(c => c.Id, _ => AccessStatus.Unlocked), ct))
            .ToDictionary(c => c.Id);
        var items = page.Items.Select(u => new UnlockedItem(u.Id, u.Price, currency, u.CreatedAt, described[u.ContentId])).ToList();
        return TypedResults.Ok(new Page<UnlockedItem>(items, page.NextCursor));
    }
}
