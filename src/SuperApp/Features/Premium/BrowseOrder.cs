namespace SuperApp.Features.Premium;

/// <summary>The four browse orders, each with the id as tie-breaker so keyset pages never overlap.</summary>
public static class BrowseOrder
{
    public static long KeyOf(PremiumContent c, BrowseSort sort) => sort switch
    {
        BrowseSort.Popular => c.UnlockCount,
        BrowseSort.PriceAsc or BrowseSort.PriceDesc => c.Price,
        _ => c.PublishedAt!.Value.Ticks,
    };

    public static IQueryable<PremiumContent> Apply(IQueryable<PremiumContent> q, BrowseSort sort, BrowseCursor? after)
    {
        switch (sort)
        {
            case BrowseSort.Popular:
                if (after is { } p)
                {
                    q = q.Where(c => c.UnlockCount < p.Key || (c.UnlockCount == p.Key && c.Id.CompareTo(p.Id) < 0));
                }

                return q.OrderByDescending(c => c.UnlockCount).ThenByDescending(c => c.Id);
            case BrowseSort.PriceAsc:
                if (after is { } a)
                {
                    q = q.Where(c => c.Price > a.Key || (c.Price == a.Key && c.Id.CompareTo(a.Id) > 0));
                }

                return q.OrderBy(c => c.Price).ThenBy(c => c.Id);
            case BrowseSort.PriceDesc:
                if (after is { } d)
                {
                    q = q.Where(c => c.Price < d.Key || (c.Price == d.Key && c.Id.CompareTo(d.Id) < 0));
                }

                return q.OrderByDescending(c => c.Price).ThenByDescending(c => c.Id);
            default:
                if (after is { } r)
                {
                    var at = new DateTime(r.Key, DateTimeKind.Utc);
                    q = q.Where(c => c.PublishedAt < at || (c.PublishedAt == at && c.Id.CompareTo(r.Id) < 0));
                }

                return q.OrderByDescending(c => c.PublishedAt).ThenByDescending(c => c.Id);
        }
    }
}
