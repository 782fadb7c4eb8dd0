using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

/// <summary>
/// Publishing puts content on sale and in browse; unpublishing takes it off sale (buyers keep
/// access). Both are plain state changes: asking for the state it is already in answers 200.
/// </summary>
public static class PublishContent
{
    public static Task<Results<Ok<ContentResponse>, ProblemHttpResult>> Publish(
        Guid id, ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, TimeProvider time, SellableContent sellable,
        CancellationToken ct) =>
        SetAsync(id, ContentStatus.Published, principal, db, revenue.Value, time, sellable, ct);

    public static Task<Results<Ok<ContentResponse>, ProblemHttpResult>> Unpublish(
        Guid id, ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, TimeProvider time, SellableContent sellable,
        CancellationToken ct) =>
        SetAsync(id, ContentStatus.Draft, principal, db, revenue.Value, time, sellable, ct);

    private static async Task<Results<Ok<ContentResponse>, ProblemHttpResult>> SetAsync(
        Guid id, ContentStatus status, ClaimsPrincipal principal, AppDbContext db, RevenueOptions revenue, TimeProvider time,
            SellableContent sellable, CancellationToken ct)
    {
        var (content, problem) = await ContentLookup.ForOwnerAsync(db, id, principal.UserId(), ct);
        if (content is null)
        {
            return problem!;
        }

        if (content.Status != status)
        {
            var now = time.UtcNow();
            content.Status = status;
            content.UpdatedAt = now;
            content.PublishedAt ??= status == ContentStatus.Published ? now : null;
            await db.SaveChangesAsync(ct);
            sellable.Forget(id);
        }

        return TypedResults.Ok(await ContentView.DescribeAsync(db, content, revenue.Currency, AccessStatus.Creator, ct));
    }
}
