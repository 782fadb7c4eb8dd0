using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

public sealed record RefreshRequest([property: Required, MaxLength(200)] string RefreshToken);

public static class Refresh
{
    public static async Task<Results<Ok<AuthResponse>, ProblemHttpResult>> Handle(
        RefreshRequest request, HttpContext http, AppDbContext db, TokenService tokens, TimeProvider time, CancellationToken ct)
    {
        var now = time.UtcNow();
        var hash = TokenService.Hash(request.RefreshToken);
        var token = await db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null || token.ExpiresAt <= now)
        {
            return Invalid();
        }

        if (token.RevokedAt is not null)
        {
            if (token.ReplacedById is not null)
            {
                // A rotated token came back: someone holds a copy. End every session of this login.
                await RevokeFamilyAsync(db, token.FamilyId, "reuse-detected", now, ct);
            }

            return Invalid();
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == token.UserId, ct);
        if (user is not { Status: UserStatus.Active })
        {
            await RevokeFamilyAsync(db, token.FamilyId, "account-inactive", now, ct);
            return Invalid();
        }

        // Claim the token with a conditional update so two concurrent refreshes cannot both rotate it.
        var claimed = await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, "rotated"), ct);
        if (claimed == 0)
        {
            await RevokeFamilyAsync(db, token.FamilyId, "reuse-detected", now, ct);
            return Invalid();
        }

        var response = tokens.Issue(db, user, http, token.FamilyId, replacing: token);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(response);
    }

    public static Task<int> RevokeFamilyAsync(AppDbContext db, Guid familyId, string reason, DateTime now, CancellationToken ct) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason), ct);

    public static Task<int> RevokeFamiliesOfUserAsync(AppDbContext db, Guid userId, string reason, DateTime now, CancellationToken ct) =>
        db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason), ct);

    private static ProblemHttpResult Invalid() =>
        Problems.Unauthorized("INVALID_REFRESH_TOKEN", "The refresh token is invalid or expired.");
}
