namespace SuperApp.Features.Creators;

public sealed record SettleRequest(Guid? CreatorId, bool DryRun);

public static class SettleRevenue
{
    /// <summary>
    /// Admin: run settlement now, for everyone or one creator; <c>dryRun</c> reports what would move
    /// without moving it. Safe alongside the job: each earning settles once whoever gets there first.
    /// </summary>
    public static async Task<Results<Ok<SettlementReport>, ProblemHttpResult>> Handle(
        SettleRequest? request, HttpContext http, AppDbContext db, RevenueSettlement settlement, TimeProvider time, CancellationToken ct)
    {
        if (request?.CreatorId is { } creator && !await db.Users.AnyAsync(u => u.Id == creator, ct))
        {
            return Problems.NotFound("USER_NOT_FOUND", "No such user.");
        }

        var report = await settlement.RunOnceAsync(AuditContext.From(http), time.UtcNow(), request?.CreatorId, request?.DryRun ?? false,
            ct);
        return TypedResults.Ok(report);
    }
}
