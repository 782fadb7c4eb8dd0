using System.Globalization;

namespace SuperApp.Features.Chat;

public static class ListConversations
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The caller's conversations, most recent activity first, each with its last message and unread count.</summary>
    public static async Task<Results<Ok<Page<ConversationSummary>>, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, string? cursor, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Validation("limit", $"The limit is from 1 to {MaxLimit}.");
        }

        var skip = 0;
        if (cursor is not null && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            return Problems.Validation("cursor", "Pass back the nextCursor of the previous page.");
        }

        var me = principal.UserId();
        var take = limit ?? DefaultLimit;
        var rows = await (from m in db.Set<ConversationMember>()
                          where m.UserId == me
                          join c in db.Set<Conversation>() on m.ConversationId equals c.Id
                          orderby c.LastActivityAt descending, c.CreatedAt descending
                          select new { c, m.LastReadNumber }).Skip(skip).Take(take + 1).AsNoTracking().ToListAsync(ct);
        var page = rows.Take(take).ToList();
        var ids = page.Select(r => r.c.Id).ToList();
        var members = await CreateConversation.MembersAsync(db, ids, ct);
        var lastIds = page.Where(r => r.c.MessageCount > 0).Select(r => (r.c.Id, r.c.MessageCount)).ToList();
        var lastConversations = lastIds.Select(l => l.Id).ToList();
        var candidates = await (from msg in db.Set<ChatMessage>()
                                where lastConversations.Contains(msg.ConversationId)
                                join c in db.Set<Conversation>() on msg.ConversationId equals c.Id
                                where msg.Number == c.MessageCount
                                join u in db.Users on msg.SenderId equals u.Id
                                select new { msg, u.Username }).AsNoTracking().ToListAsync(ct);
        var last = candidates.ToDictionary(x => x.msg.ConversationId, x => ChatService.View(x.msg, x.Username));
        var items = page.Select(r => new ConversationSummary(r.c.Id, r.c.Kind, r.c.Title, members.GetValueOrDefault(r.c.Id) ?? [],
            last.GetValueOrDefault(r.c.Id), Math.Max(0, r.c.MessageCount - r.LastReadNumber))).ToList();
        var next = rows.Count > take ? (skip + take).ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new Page<ConversationSummary>(items, next));
    }
}
