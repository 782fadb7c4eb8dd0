using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

public static class UploadMedia
{
    /// <summary>
    /// One file per content, in a multipart form; a new upload replaces the old file. The form is
    /// read section by section straight from the request, so a large file never sits in memory.
    /// </summary>
    public static async Task<Results<Ok<ContentResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, HttpContext http, AppDbContext db, MediaStorage storage,
        IOptions<PremiumOptions> premium, IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        var (content, problem) = await ContentLookup.ForOwnerAsync(db, id, principal.UserId(), ct);
        if (content is null)
        {
            return problem!;
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var form) ||
            !string.Equals(form.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(form.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                "Send the file as multipart/form-data.");
        }

        var reader = new MultipartReader(boundary, http.Request.Body);
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFileDisposition())
            {
                continue; // other form fields are not used; the reader skips their bodies
            }

            var clientName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
            var (media, refused) = await MediaUpload.SaveAsync(section.Body, clientName, premium.Value.Media, storage, ct);
            return media is null ? refused! : await AttachAsync(db, content, media, storage, revenue.Value, time, ct);
        }

        return Problems.Validation("file", "Send one file in the multipart form.");
    }

    private static async Task<Results<Ok<ContentResponse>, ProblemHttpResult>> AttachAsync(
        AppDbContext db, PremiumContent content, StoredMedia media, MediaStorage storage, RevenueOptions revenue, TimeProvider time,
            CancellationToken ct)
    {
        var previous = content.MediaFile;
        var now = time.UtcNow();
        // Conditional on the file it replaces, so of two uploads racing one wins and no file is orphaned.
        var attached = await db.PremiumContents.Where(c => c.Id == content.Id && c.MediaFile == previous && c.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.MediaFile, media.FileName).SetProperty(c => c.MediaContentType,
                media.Type.ContentType)
                .SetProperty(c => c.MediaSize, media.Size).SetProperty(c => c.UpdatedAt, now), ct);
        if (attached == 0)
        {
            storage.Delete(media.FileName);
            return Problems.Conflict("CONTENT_CHANGED", "The content changed during the upload. Check it and try again.");
        }

        storage.Delete(previous);
        db.Entry(content).State = EntityState.Detached;
        (content.MediaFile, content.MediaContentType, content.MediaSize, content.UpdatedAt) = (media.FileName, media.Type.ContentType,
            media.Size, now);
        return TypedResults.Ok(await ContentView.DescribeAsync(db, content, revenue.Currency, AccessStatus.Creator, ct));
    }
}
