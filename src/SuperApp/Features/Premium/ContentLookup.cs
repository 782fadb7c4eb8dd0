using SuperApp.Features.Users;

namespace SuperApp.Features.Premium;

public sealed record OwnedContent(PremiumContent? Content, ProblemHttpResult? Problem);

public sealed record ViewedContent(PremiumContent? Content, AccessStatus Access, ProblemHttpResult? Problem);

/// <summary>
/// Finding content with the answers the contract asks for: unknown and other people's drafts are
/// 404 (indistinguishable), deleted content is 410 (but not to its buyers), a suspended creator's
/// content is 404 to those who paid nothing for it, someone else's published content is 403 to edit.
/// </summary>
public static class ContentLookup
{
    public static ProblemHttpResult NotFound() => Problems.NotFound("CONTENT_NOT_FOUND", "No such content.");

    public static ProblemHttpResult Gone() => Problems.Of(StatusCodes.Status410Gone, "CONTENT_DELETED", "The content was deleted.");

    /// <summary>A deleted draft nobody else ever saw stays unknown to them.</summary>
    private static ProblemHttpResult GoneOrHidden(PremiumContent c, Guid userId) =>
        c.PublishedAt is not null || c.CreatorId == userId ? Gone() : NotFound();

    /// <summary>Tracked, for the creator's own changes.</summary>
    public static async Task<OwnedContent> ForOwnerAsync(AppDbContext db, Guid id, Guid userId, CancellationToken ct)
    {
        var c = await db.PremiumContents.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return new(null, NotFound());
        }

        if (c.DeletedAt is not null)
        {
            return new(null, GoneOrHidden(c, userId));
        }

        return c.CreatorId == userId ? new(c, null)
            : c.Status == ContentStatus.Published ? new(null,
                Problems.Forbidden("NOT_CONTENT_OWNER", "Only the creator of this content can change it."))
            : new(null, NotFound());
    }

    /// <summary>
    /// What a viewer may see: published content, or a draft they made or bought before it was
    /// unpublished. Buyers keep what they paid for: a post its creator deleted stays visible to those
    /// who unlocked it (not to subscribers, whose access is to what the creator offers now), and a
    /// suspended creator's content to those who unlocked it or subscribe. Only the creator's account
    /// erasure removes content for everyone.
    /// </summary>
    public static async Task<ViewedContent> ForViewerAsync(AppDbContext db, Guid id, Guid userId, DateTime now, CancellationToken ct)
    {
        var c = await db.PremiumContents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return new(null, AccessStatus.Locked, NotFound());
        }

        var creator = await db.Users.Where(u => u.Id == c.CreatorId).Select(u => (UserStatus?)u.Status).FirstOrDefaultAsync(ct);
        if (creator is null or UserStatus.Deleted)
        {
            return new(null, AccessStatus.Locked, GoneOrHidden(c, userId));
        }

        var access = await ContentAccess.ResolveAsync(db, c, userId, now, ct);
        if (c.DeletedAt is not null)
        {
            return access == AccessStatus.Unlocked ? new(c, access, null) : new(null, AccessStatus.Locked, GoneOrHidden(c, userId));
        }

        if (creator != UserStatus.Active && access is not (AccessStatus.Creator or AccessStatus.Unlocked or AccessStatus.Subscription))
        {
            return new(null, AccessStatus.Locked, NotFound());
        }

        return c.Status != ContentStatus.Published && access is not (AccessStatus.Creator or AccessStatus.Unlocked)
            ? new(null, AccessStatus.Locked, NotFound())
            : new(c, access, null);
    }
}
