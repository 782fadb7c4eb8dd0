namespace SuperApp.Features.Users;

public static class GetMe
{
    public static async Task<Results<Ok<UserProfile>,
        ProblemHttpResult>> Handle(ClaimsPrincipal principal, AppDbContext db, CancellationToken ct)
    {
        var user = await db.Users.FindAsync([principal.UserId()], ct);
        return user is null ? Problems.NotFound() : TypedResults.Ok(UserProfile.From(user));
    }
}
