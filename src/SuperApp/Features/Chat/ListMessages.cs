namespace SuperApp.Features.Chat;

public static class ListMessages
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>A conversation's messages, newest first; <c>before</c> is a message id (the previous page's nextCursor).</summary>
    public static async Task<Results<Ok<Page<MessageView>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal principal, AppDbContext db, ChatService chat, Guid? before, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Validation("limit", $"The limit is from 1 to {MaxLimit}.");
        }

        await chat.MembersAsync(id, principal.UserId(), ct);
        var below = long.MaxValue;
        if (before is { } b)
        {
            below = await db.Set<ChatMessage>().Where(m => m.Id == b && m.ConversationId == id).Select(m => (long?)m.Number)
                .FirstOrDefaultAsync(ct) ?? -1;
            if (below < 0)
            {
                return Problems.Validation("before", "before is the id of a message of this conversation.");
            }
        }

        var take = limit ?? DefaultLimit;
        var rows = await (from m in db.Set<ChatMessage>()
                          where m.ConversationId == id && m.Number < below
                          orderby m.Number descending
                          join u in db.Users on m.SenderId equals u.Id
                          select new { m, u.Username }).Take(take + 1).AsNoTracking().ToListAsync(ct);
        var items = rows.Take(take).Select(r => ChatService.View(r.m, r.Username)).ToList();
        return TypedResults.Ok(new Page<MessageView>(items, rows.Count > take ? items[^1].Id.ToString() : null));
    }
}
