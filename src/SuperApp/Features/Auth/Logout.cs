using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Auth;

public static class Logout
{
    /// <summary>Ends the session the refresh token belongs to. Answers 204 whatever the token was.</summary>
    public static async Task<NoContent> Handle(
        RefreshRequest request, AppDbContext db, TimeProvider time, UserStatuses statuses, CancellationToken ct)
    {
        var hash = TokenService.Hash(request.RefreshToken);
        var session = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => new { t.FamilyId, t.UserId })
            .FirstOrDefaultAsync(ct);
        if (session is not null)
        {
            await Refresh.RevokeFamilyAsync(db, session.FamilyId, "logout", time.UtcNow(), ct);
            await statuses.ForgetAsync(session.UserId); // its access tokens end with it
        }

        return TypedResults.NoContent();
    }
}
