using SuperApp.Features.Ledger;

namespace SuperApp.Features.Subscriptions;

public sealed record PlanView(PlanKind Plan, long Price, string Currency, int DurationDays, IReadOnlyList<string> Benefits);

public sealed record PlansResponse(Guid CreatorId, IReadOnlyList<PlanView> Plans);

public static class GetPlans
{
    public static async Task<Results<Ok<PlansResponse>, ProblemHttpResult>> Handle(
        Guid creatorId, AppDbContext db, IOptions<RevenueOptions> revenue, CancellationToken ct)
    {
        if (!await SubscriptionQueries.IsCreatorAsync(db, creatorId, ct))
        {
            return Problems.NotFound("CREATOR_NOT_FOUND", "No such creator.");
        }

        return TypedResults.Ok(await ReadAsync(db, creatorId, revenue.Value.Currency, ct));
    }

    public static async Task<PlansResponse> ReadAsync(AppDbContext db, Guid creatorId, string currency, CancellationToken ct)
    {
        var plans = await db.SubscriptionPlans.AsNoTracking().Where(p => p.CreatorId == creatorId).ToListAsync(ct);
        return new PlansResponse(creatorId, plans.OrderBy(p => p.Plan)
            .Select(p => new PlanView(p.Plan, p.Price, currency, p.Plan.Days(), p.Benefits)).ToList());
    }
}
