using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

public static class ListMine
{
    /// <summary>The caller's own content, drafts included, deleted left out; newest first.</summary>
    public static async Task<Results<Ok<Page<ContentResponse>>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, string? status, int? limit, string? cursor,
            CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        if (!EnumText.TryParseOptional<ContentStatus>(status, out var filter))
        {
            return Problems.Validation("status", "The status is draft or published.");
        }

        var userId = principal.UserId();
        var query = db.PremiumContents.Where(c => c.CreatorId == userId && c.DeletedAt == null);
        if (filter is { } s)
        {
            query = query.Where(c => c.Status == s);
        }

        var page = await query.ToPageAsync(after, limit, c => c, ct);
        var items = await ContentView.DescribeManyAsync(db, page.Items, revenue.Value.Currency,
            page.Items.ToDictionary(c => c.Id, _ => AccessStatus.Creator), ct);
        return TypedResults.Ok(new Page<ContentResponse>(items, page.NextCursor));
    }
}
