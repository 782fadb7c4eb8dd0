namespace SuperApp.Features.Premium;

public static class DeleteContent
{
    /// <summary>
    /// Soft delete: nothing new is sold, it leaves browse and details answer 410, except to those
    /// who unlocked it, who keep details, access and media (DESIGN 3.1: buyers keep what they paid
    /// for). So the row, its media and its unlock records stay. Audited, as it ends sales.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, HttpContext http, AppDbContext db, TimeProvider time, SellableContent sellable,
        CancellationToken ct)
    {
        var (content, problem) = await ContentLookup.ForOwnerAsync(db, id, principal.UserId(), ct);
        if (content is null)
        {
            return problem!;
        }

        var now = time.UtcNow();
        content.DeletedAt = now;
        content.UpdatedAt = now;
        AuditContext.From(http).Record(db, "premium.delete", "premium_content", content.Id.ToString(),
            new { status = Data.EnumText.Name(content.Status), unlocks = content.UnlockCount }, new { deletedAt = now }, now);
        await db.SaveChangesAsync(ct);
        sellable.Forget(id);
        return TypedResults.NoContent();
    }
}
