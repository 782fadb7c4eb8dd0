namespace SuperApp.Features.Chat;

public static class BlockUser
{
    /// <summary>The blocked user can no longer message the caller in a direct conversation, nor gift them. Idempotent.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Block(
        Guid id, ClaimsPrincipal principal, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var me = principal.UserId();
        if (id == me)
        {
            return Problems.Unprocessable("SELF_BLOCK", "You cannot block yourself.");
        }

        if (!await db.Users.AnyAsync(u => u.Id == id, ct))
        {
            return Problems.NotFound("USER_NOT_FOUND", "No such user.");
        }

        if (!await ChatService.BlockedAsync(db, me, id, ct))
        {
            db.Add(new UserBlock { BlockerId = me, BlockedId = id, CreatedAt = time.UtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (UniqueViolation.On(e, "user_blocks"))
            {
                // Blocked twice at once: the block stands either way.
            }
        }

        return TypedResults.NoContent();
    }

    public static async Task<NoContent> Unblock(Guid id, ClaimsPrincipal principal, AppDbContext db, CancellationToken ct)
    {
        var me = principal.UserId();
        await db.Set<UserBlock>().Where(b => b.BlockerId == me && b.BlockedId == id).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }
}
