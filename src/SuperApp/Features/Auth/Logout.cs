using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SuperApp.Data;

namespace SuperApp.Features.Auth;

public static class Logout
{
    /// <summary>Ends the session the refresh token belongs to. Answers 204 whatever the token was.</summary>
    public static async Task<NoContent> Handle(RefreshRequest request, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var hash = TokenService.Hash(request.RefreshToken);
        var family = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).FirstOrDefaultAsync(ct);
        if (family is { } id)
        {
            await Refresh.RevokeFamilyAsync(db, id, "logout", time.GetUtcNow().UtcDateTime, ct);
        }

        return TypedResults.NoContent();
    }
}
