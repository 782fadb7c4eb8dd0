namespace SuperApp.Features.Users;

public static class GetUser
{
    /// <summary>Public profile only; suspended and deleted accounts look like unknown ones.</summary>
    public static async Task<Results<Ok<PublicProfile>, ProblemHttpResult>> Handle(Guid id, AppDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.Status == UserStatus.Active, ct);
        return user is null ? Problems.NotFound("USER_NOT_FOUND", "No such user.") : TypedResults.Ok(PublicProfile.From(user));
    }
}
