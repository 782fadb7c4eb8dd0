namespace SuperApp.Features.Premium;

public sealed record CreatorRef(Guid Id, string Username);

public sealed record MediaInfo(string ContentType, long Size, string Url);

/// <summary>Content as every premium route answers it; <c>accessStatus</c> is from the caller's side.</summary>
public sealed record ContentResponse(
    Guid Id, CreatorRef Creator, string Title, string? Description, string Category, long Price, string Currency,
    bool SubscriberOnly, IReadOnlyList<string> Tags, ContentStatus Status, bool Deleted, long UnlockCount, MediaInfo? Media,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? PublishedAt, AccessStatus AccessStatus);

public static class ContentView
{
    public static ContentResponse From(PremiumContent c, string creatorName, string currency, AccessStatus access) => new(
        c.Id, new CreatorRef(c.CreatorId, creatorName), c.Title, c.Description, c.Category, c.Price, currency,
        c.SubscriberOnly, c.Tags, c.Status, c.DeletedAt is not null, c.UnlockCount,
        c.MediaFile is null ? null : new MediaInfo(c.MediaContentType!, c.MediaSize ?? 0, $"/api/premium/{c.Id}/media"),
        c.CreatedAt, c.UpdatedAt, c.PublishedAt, access);

    public static async Task<ContentResponse> DescribeAsync(AppDbContext db, PremiumContent c, string currency, AccessStatus access,
        CancellationToken ct)
    {
        var name = await db.Users.Where(u => u.Id == c.CreatorId).Select(u => u.Username).FirstOrDefaultAsync(ct);
        return From(c, name ?? "", currency, access);
    }

    /// <summary>A page of content with creators' names in one query.</summary>
    public static async Task<List<ContentResponse>> DescribeManyAsync(
        AppDbContext db, IReadOnlyList<PremiumContent> contents, string currency, IReadOnlyDictionary<Guid, AccessStatus> access,
            CancellationToken ct)
    {
        var creatorIds = contents.Select(c => c.CreatorId).Distinct().ToList();
        var names = await db.Users.Where(u => creatorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Username, ct);
        return contents.Select(c => From(c, names.GetValueOrDefault(c.CreatorId, ""), currency, access[c.Id])).ToList();
    }
}
