using SuperApp.Features.Ledger;

namespace SuperApp.Features.Premium;

public static class CreateContent
{
    /// <summary>Content starts as a draft, visible only to its creator until published.</summary>
    public static async Task<Results<Created<ContentResponse>, ProblemHttpResult>> Handle(
        ContentRequest request, ClaimsPrincipal principal, AppDbContext db, IOptions<PremiumOptions> premium,
        IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        var now = time.UtcNow();
        var content = new PremiumContent { CreatorId = principal.UserId(), Title = "", Category = "", CreatedAt = now, UpdatedAt = now };
        if (ContentRules.TryApply(request, content, premium.Value, revenue.Value) is { } problem)
        {
            return problem;
        }

        db.PremiumContents.Add(content);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/premium/{content.Id}",
            await ContentView.DescribeAsync(db, content, revenue.Value.Currency, AccessStatus.Creator, ct));
    }
}
