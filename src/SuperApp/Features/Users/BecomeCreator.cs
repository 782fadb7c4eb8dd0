namespace SuperApp.Features.Users;

public static class BecomeCreator
{
    /// <summary>
    /// Turns a user into a creator (tier follows). Access tokens carry the role, so the client
    /// refreshes to get one that says creator.
    /// </summary>
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = await db.Users.FindAsync([principal.UserId()], ct);
        if (user is null)
        {
            return Problems.NotFound();
        }

        if (user.Role != Role.User)
        {
            return Problems.Conflict("ALREADY_CREATOR", "The account is already a creator or an admin.");
        }

        user.SetRole(Role.Creator);
        user.UpdatedAt = time.UtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(UserProfile.From(user));
    }
}
