namespace SuperApp.Features.Users;

public sealed record SessionExport(DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, string? RevokedReason);

public sealed record UserExport(DateTime ExportedAt, UserProfile Profile, IReadOnlyList<SessionExport> Sessions);

public static class ExportMe
{
    /// <summary>Everything stored about the caller, as one JSON document (data portability).</summary>
    public static async Task<Results<Ok<UserExport>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var userId = principal.UserId();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Problems.NotFound();
        }

        var sessions = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderBy(t => t.CreatedAt)
            .Select(t => new SessionExport(t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.RevokedReason))
            .ToListAsync(ct);

        return TypedResults.Ok(new UserExport(time.UtcNow(), UserProfile.From(user), sessions));
    }
}
