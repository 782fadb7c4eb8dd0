using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public static class GetTopup
{
    /// <summary>The Location of a created top-up. Someone else's is answered exactly like a missing one.</summary>
    public static async Task<Results<Ok<TopupDetails>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, AppDbContext db, IOptions<RevenueOptions> revenue, CancellationToken ct)
    {
        var userId = principal.UserId();
        var topup = await db.Topups.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        return topup is null
            ? Problems.NotFound("TOPUP_NOT_FOUND", "No such top-up.")
            : TypedResults.Ok(TopupDetails.From(topup, revenue.Value.Currency));
    }
}
