using SuperApp.Features.Ledger;
using SuperApp.Features.Users;

namespace SuperApp.Features.Premium;

public static class BrowseContent
{
    public const int MaxTextLength = 100;

    /// <summary>Published, not deleted content of active creators; filters combine; keyset pages in the chosen order.</summary>
    public static async Task<Results<Ok<Page<ContentResponse>>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, IOptions<PremiumOptions> premium, IOptions<RevenueOptions> revenue, TimeProvider time,
        string? category, Guid? creator, string? tag, string? text, string? sort, int? limit, string? cursor, CancellationToken ct)
    {
        if (!EnumText.TryParseOptional<BrowseSort>(sort, out var parsed))
        {
            return Problems.Validation("sort", "The sort is one of recent, popular, price_asc, price_desc.");
        }

        var order = parsed ?? BrowseSort.Recent;
        if (!BrowseCursor.TryDecode(cursor, order, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid for this sort.");
        }

        // A deleted or suspended creator's content leaves browse at once; it comes back if a suspension is lifted.
        var query = db.PremiumContents.AsNoTracking().Where(c => c.Status == ContentStatus.Published && c.DeletedAt == null &&
                                                                 db.Users.Any(u => u.Id == c.CreatorId && u.Status == UserStatus.Active));
        if (!string.IsNullOrEmpty(category))
        {
            var cat = category.Trim().ToLowerInvariant();
            if (!premium.Value.Categories.Contains(cat))
            {
                return Problems.Validation("category", $"Unknown category. Known: {string.Join(", ", premium.Value.Categories)}.");
            }

            query = query.Where(c => c.Category == cat);
        }

        if (creator is { } creatorId)
        {
            query = query.Where(c => c.CreatorId == creatorId);
        }

        if (!string.IsNullOrWhiteSpace(tag))
        {
            var t = tag.Trim().ToLowerInvariant();
            query = query.Where(c => c.Tags.Contains(t));
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            if (text.Length > MaxTextLength)
            {
                return Problems.Validation("text", $"Search text is at most {MaxTextLength} characters.");
            }

            // LIKE over lower-cased text means the same on PostgreSQL and SQLite; the user's own wildcards are escaped.
            var pattern = "%" + text.Trim().ToLowerInvariant().Replace(@"\", @"\\", StringComparison.Ordinal)
                .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
            query = query.Where(c => EF.Functions.Like(c.Title.ToLower(), pattern, @"\") ||
                                     (c.Description != null && EF.Functions.Like(c.Description.ToLower(), pattern, @"\")));
        }

        var take = Cursor.Clamp(limit);
        var rows = await BrowseOrder.Apply(query, order, after).Take(take + 1).ToListAsync(ct);
        var items = rows.Take(take).ToList();
        var userId = principal.UserId();
        var access = await ContentAccess.ResolveManyAsync(db, items, userId, time.UtcNow(), ct);
        var page = await ContentView.DescribeManyAsync(db, items, revenue.Value.Currency, access, ct);
        var next = rows.Count > take ? new BrowseCursor(order, BrowseOrder.KeyOf(items[^1], order), items[^1].Id).Encode() : null;
        return TypedResults.Ok(new Page<ContentResponse>(page, next));
    }
}
