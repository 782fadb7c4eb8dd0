using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

public sealed record AccessResponse(bool HasAccess, AccessStatus Reason, long Price, string Currency, bool SubscriberOnly);

public static class GetContent
{
    /// <summary>Details, with <c>accessStatus</c> saying whether and why the caller may see the media.</summary>
    public static async Task<Results<Ok<ContentResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        var (content, access, problem) = await ContentLookup.ForViewerAsync(db, id, principal.UserId(), time.UtcNow(), ct);
        return content is null ? problem! : TypedResults.Ok(await ContentView.DescribeAsync(db, content, revenue.Value.Currency, access,
            ct));
    }

    public static async Task<Results<Ok<AccessResponse>, ProblemHttpResult>> Access(
        Guid id, ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        var (content, access, problem) = await ContentLookup.ForViewerAsync(db, id, principal.UserId(), time.UtcNow(), ct);
        return content is null
            ? problem!
            : TypedResults.Ok(new AccessResponse(access.Grants(), access, content.Price, revenue.Value.Currency, content.SubscriberOnly));
    }
}
