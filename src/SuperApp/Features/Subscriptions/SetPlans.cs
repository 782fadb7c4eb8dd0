using SuperApp.Features.Ledger;

namespace SuperApp.Features.Subscriptions;

public sealed record PlanInput([property: Required] string? Plan, long Price, List<string>? Benefits);

public sealed record SetPlansRequest([property: Required, MaxLength(3)] List<PlanInput>? Plans);

/// <summary>Creator: replaces the whole set of plans. Plans left out are withdrawn; subscribers of them cannot renew.</summary>
public static class SetPlans
{
    public static async Task<Results<Ok<PlansResponse>, ProblemHttpResult>> Handle(
        SetPlansRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, IOptions<RevenueOptions> revenue,
        TimeProvider time, CancellationToken ct)
    {
        var wanted = new Dictionary<PlanKind, PlanInput>();
        foreach (var input in request.Plans!)
        {
            if (input is null || !EnumText.TryParse<PlanKind>(input.Plan, out var kind))
            {
                return Problems.Validation("plans", "Each plan is one of monthly, quarterly, yearly.");
            }

            if (!wanted.TryAdd(kind, input))
            {
                return Problems.Validation("plans", "Each plan may appear once.");
            }

            var benefits = input.Benefits ?? [];
            if (benefits.Count > SubscriptionPlan.MaxBenefits
                || benefits.Any(b => string.IsNullOrWhiteSpace(b) || b.Trim().Length > SubscriptionPlan.MaxBenefitLength))
            {
                return Problems.Validation("benefits",
                    $"Up to {SubscriptionPlan.MaxBenefits} benefits, each 1-{SubscriptionPlan.MaxBenefitLength} characters.");
            }
        }

        var o = revenue.Value;
        var limits = o.Limits.SubscriptionPrice;
        if (wanted.Values.Any(p => p.Price < limits.Min || p.Price > limits.Max))
        {
            return Problems.Unprocessable("LIMIT_EXCEEDED", "A plan price is outside the allowed range.",
                $"Subscription prices are {limits.Min} to {limits.Max} ({o.Currency} minor units).");
        }

        var creatorId = principal.UserId();
        var now = time.UtcNow();
        var existing = await db.SubscriptionPlans.Where(p => p.CreatorId == creatorId).ToListAsync(ct);
        var before = existing.ToDictionary(p => EnumText.Name(p.Plan), p => p.Price);
        db.SubscriptionPlans.RemoveRange(existing.Where(p => !wanted.ContainsKey(p.Plan)));
        foreach (var (kind, input) in wanted)
        {
            var plan = existing.FirstOrDefault(p => p.Plan == kind);
            if (plan is null)
            {
                plan = new SubscriptionPlan { CreatorId = creatorId, Plan = kind, CreatedAt = now };
                db.SubscriptionPlans.Add(plan);
            }

            plan.Price = input.Price;
            plan.Benefits = (input.Benefits ?? []).Select(b => b.Trim()).ToList();
            plan.UpdatedAt = now;
        }

        // Prices decide what subscribers are charged, so every change is on the record.
        AuditContext.From(http).Record(db, "subscription.plans", "user", creatorId.ToString(), before,
            wanted.ToDictionary(p => EnumText.Name(p.Key), p => p.Value.Price), now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (UniqueViolation.On(e, "subscription_plans"))
        {
            return Problems.Conflict("PLANS_CHANGED", "The plans were changed at the same time by another request. Try again.");
        }

        return TypedResults.Ok(await GetPlans.ReadAsync(db, creatorId, o.Currency, ct));
    }
}
