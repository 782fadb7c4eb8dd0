using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Auth;

/// <summary>One sign-in (a refresh-token family): where it came from and when it was last used.</summary>
public sealed record SessionView(Guid Id, string? UserAgent, string? Ip, DateTime CreatedAt, DateTime LastUsedAt, bool Current);

public sealed record SessionsResponse(IReadOnlyList<SessionView> Items);

public static class Sessions
{
    /// <summary>The caller's live sessions, most recently used first.</summary>
    public static async Task<Ok<SessionsResponse>> List(ClaimsPrincipal principal, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var userId = principal.UserId();
        var now = time.UtcNow();
        var tokens = await db.RefreshTokens.AsNoTracking().Where(t => t.UserId == userId)
            .Where(t => db.RefreshTokens.Any(live => live.FamilyId == t.FamilyId && live.RevokedAt == null && live.ExpiresAt > now))
            .Select(t => new { t.FamilyId, t.CreatedAt, t.UserAgent, t.Ip })
            .ToListAsync(ct);
        var current = principal.SessionId();
        var items = tokens.GroupBy(t => t.FamilyId).Select(g =>
        {
            var latest = g.MaxBy(t => t.CreatedAt)!;
            return new SessionView(g.Key, latest.UserAgent, latest.Ip, g.Min(t => t.CreatedAt), latest.CreatedAt, g.Key == current);
        }).OrderByDescending(s => s.LastUsedAt).ToList();
        return TypedResults.Ok(new SessionsResponse(items));
    }

    /// <summary>Ends one of the caller's sessions: its refresh token stops working. Someone else's is answered as missing.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        Guid id, ClaimsPrincipal principal, HttpContext http, AppDbContext db, TimeProvider time, UserStatuses statuses,
        CancellationToken ct)
    {
        var userId = principal.UserId();
        var now = time.UtcNow();
        var revoked = await db.RefreshTokens.Where(t => t.FamilyId == id && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, "session-revoked"), ct);
        if (revoked == 0)
        {
            return Problems.NotFound("SESSION_NOT_FOUND", "No such session.");
        }

        AuditContext.From(http).Record(db, "auth.session_revoked", "session", id.ToString(), null, new { userId }, now);
        await db.SaveChangesAsync(ct);
        await statuses.ForgetAsync(userId); // the session's access tokens stop working on the next request, on every instance
        return TypedResults.NoContent();
    }
}
