namespace SuperApp.Features.Premium;

public static class GetMedia
{
    /// <summary>
    /// Streams the file to someone with access, with range support so players can seek. The type
    /// is the sniffed one and browsers are told not to guess another.
    /// </summary>
    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, HttpContext http, AppDbContext db, MediaStorage storage, TimeProvider time,
            CancellationToken ct)
    {
        var (content, access, problem) = await ContentLookup.ForViewerAsync(db, id, principal.UserId(), time.UtcNow(), ct);
        if (content is null)
        {
            return problem!;
        }

        if (!access.Grants())
        {
            return Problems.Forbidden("LOCKED", content.SubscriberOnly
                ? "This content is for subscribers of its creator."
                : "Unlock this content to see it.");
        }

        if (content.MediaFile is null || !File.Exists(storage.PathOf(content.MediaFile)))
        {
            return Problems.NotFound("MEDIA_NOT_FOUND", "This content has no media yet.");
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.PhysicalFile(storage.PathOf(content.MediaFile), content.MediaContentType, enableRangeProcessing: true,
            lastModified: content.UpdatedAt);
    }
}
