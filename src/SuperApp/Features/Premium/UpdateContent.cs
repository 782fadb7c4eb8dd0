using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

public static class UpdateContent
{
    /// <summary>
    /// Replaces the editable fields, also of published content. A new price applies to new
    /// buyers only: an unlock keeps the price that was paid.
    /// </summary>
    public static async Task<Results<Ok<ContentResponse>, ProblemHttpResult>> Handle(
        Guid id, ContentRequest request, ClaimsPrincipal principal, AppDbContext db, IOptions<PremiumOptions> premium,
        IOptions<RevenueOptions> revenue, TimeProvider time, SellableContent sellable, CancellationToken ct)
    {
        var (content, problem) = await ContentLookup.ForOwnerAsync(db, id, principal.UserId(), ct);
        if (content is null)
        {
            return problem!;
        }

        if (ContentRules.TryApply(request, content, premium.Value, revenue.Value) is { } invalid)
        {
            return invalid;
        }

        content.UpdatedAt = time.UtcNow();
        await db.SaveChangesAsync(ct);
        sellable.Forget(id);
        return TypedResults.Ok(await ContentView.DescribeAsync(db, content, revenue.Value.Currency, AccessStatus.Creator, ct));
    }
}
