using SuperApp.Features.Users;

namespace SuperApp.Features.Chat;

public sealed record CreateConversationRequest(IReadOnlyList<Guid>? MemberIds, string? Title);

public static class CreateConversation
{
    /// <summary>
    /// One other member makes a direct conversation, unique per pair (asking again answers 200 with
    /// it); more make a group of at most <see cref="ChatOptions.MaxMembers"/>, the caller included.
    /// </summary>
    public static async Task<Results<Created<ConversationView>, Ok<ConversationView>, ProblemHttpResult>> Handle(
        CreateConversationRequest request, ClaimsPrincipal principal, AppDbContext db, IOptions<ChatOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var me = principal.UserId();
        var others = (request.MemberIds ?? []).Where(id => id != me).Distinct().ToList();
        if (others.Count == 0)
        {
            return Problems.Validation("memberIds", "Name at least one other user.");
        }

        if (others.Count + 1 > options.Value.MaxMembers)
        {
            return Problems.Validation("memberIds", $"A conversation has at most {options.Value.MaxMembers} members.");
        }

        if (request.Title is { Length: > 100 })
        {
            return Problems.Validation("title", "The title is at most 100 characters.");
        }

        var found = await db.Users.CountAsync(u => others.Contains(u.Id) && u.Status == UserStatus.Active, ct);
        if (found != others.Count)
        {
            return Problems.NotFound("USER_NOT_FOUND", "One of the members does not exist.");
        }

        var direct = others.Count == 1;
        if (direct && await ChatService.BlockedAsync(db, others[0], me, ct))
        {
            return Problems.Forbidden("BLOCKED", "This user does not accept messages or gifts from you.");
        }

        var key = direct ? Conversation.KeyFor(me, others[0]) : null;
        if (key is not null && await FindDirectAsync(db, key, ct) is { } existing)
        {
            return TypedResults.Ok(await ViewAsync(db, existing, ct));
        }

        var now = time.UtcNow();
        var conversation = new Conversation
        {
            Kind = direct ? ConversationKind.Direct : ConversationKind.Group,
            Title = direct ? null : request.Title?.Trim() is { Length: > 0 } t ? t : null,
            DirectKey = key, CreatedBy = me, CreatedAt = now, LastActivityAt = now,
        };
        db.Add(conversation);
        db.AddRange(others.Append(me).Select(id => new ConversationMember { ConversationId = conversation.Id, UserId = id,
            JoinedAt = now }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (key is not null && UniqueViolation.On(e, "conversations"))
        {
            // The other user opened the same direct conversation at the same moment: theirs is the one.
            db.ChangeTracker.Clear();
            return TypedResults.Ok(await ViewAsync(db, (await FindDirectAsync(db, key, ct))!, ct));
        }

        return TypedResults.Created($"/api/chat/conversations/{conversation.Id}", await ViewAsync(db, conversation, ct));
    }

    private static Task<Conversation?> FindDirectAsync(AppDbContext db, string key, CancellationToken ct) =>
        db.Set<Conversation>().AsNoTracking().FirstOrDefaultAsync(c => c.DirectKey == key, ct);

    public static async Task<ConversationView> ViewAsync(AppDbContext db, Conversation c, CancellationToken ct) =>
        new(c.Id, c.Kind, c.Title, await MembersAsync(db, [c.Id], ct) is var m && m.TryGetValue(c.Id, out var list) ? list : [],
            c.CreatedAt);

    /// <summary>The members of each conversation, with usernames, in a stable order.</summary>
    public static async Task<Dictionary<Guid, List<ChatUser>>> MembersAsync(AppDbContext db, IReadOnlyCollection<Guid> ids,
        CancellationToken ct)
    {
        var rows = await (from m in db.Set<ConversationMember>()
                          where ids.Contains(m.ConversationId)
                          join u in db.Users on m.UserId equals u.Id
                          orderby u.Username
                          select new { m.ConversationId, u.Id, u.Username }).ToListAsync(ct);
        return rows.GroupBy(r => r.ConversationId).ToDictionary(g => g.Key, g => g.Select(r => new ChatUser(r.Id, r.Username)).ToList());
    }
}
