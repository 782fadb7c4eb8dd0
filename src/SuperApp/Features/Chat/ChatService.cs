using SuperApp.Features.Realtime;
using SuperApp.Platform.RateLimiting;

namespace SuperApp.Features.Chat;

/// <summary>
/// Sending and reading, shared by the REST routes and the hub so both enforce the same rules:
/// membership (a non-member is told the conversation does not exist), blocks, the text limits,
/// the per-user message rate and clientMessageId idempotency.
/// </summary>
public sealed class ChatService(AppDbContext db, RealtimeOutbox outbox, IRateLimitStore limits, IOptions<ChatOptions> options,
    TimeProvider time)
{
    public const string MessageCreated = "message.created";
    public const string MessageReadType = "message.read";

    public static ApiException NotFound() => new(404, "CONVERSATION_NOT_FOUND", "No such conversation.");

    /// <summary>The conversation's member ids, if <paramref name="userId"/> is one of them.</summary>
    public async Task<List<Guid>> MembersAsync(Guid conversationId, Guid userId, CancellationToken ct)
    {
        var members = await db.Set<ConversationMember>().Where(m => m.ConversationId == conversationId)
            .Select(m => m.UserId).ToListAsync(ct);
        return members.Contains(userId) ? members : throw NotFound();
    }

    /// <summary>The message and whether it was created now (false: the same clientMessageId was sent before).</summary>
    public async Task<(MessageView Message, bool Created)> SendAsync(
        Guid senderId, Guid conversationId, string? clientMessageId, string? text, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(text) || text.Length > ChatOptions.MaxTextLength)
        {
            throw Invalid("text", $"The text is 1 to {ChatOptions.MaxTextLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(clientMessageId) || clientMessageId.Length > 64)
        {
            throw Invalid("clientMessageId", "clientMessageId is 1 to 64 characters, unique per message you send.");
        }

        var members = await MembersAsync(conversationId, senderId, ct);
        if (await ExistingAsync(senderId, clientMessageId, ct) is { } sent)
        {
            return sent.ConversationId == conversationId
                ? (sent, false)
                : throw new ApiException(409, "CLIENT_MESSAGE_ID_REUSED", "This clientMessageId was used for another conversation.");
        }

        await EnsureNotBlockedAsync(senderId, members, ct);
        var decision = await limits.HitAsync($"chat:{senderId}", options.Value.MessagesPerMinute, TimeSpan.FromMinutes(1), ct);
        if (!decision.Allowed)
        {
            throw new ApiException(429, "RATE_LIMITED", "Too many messages; slow down.") { RetryAfter = decision.RetryAfter };
        }

        try
        {
            var message = await db.RunAsync(async ct =>
            {
                var now = time.UtcNow();
                // Takes the conversation's next number; the row lock orders concurrent senders.
                var number = await db.Database.SqlQuery<long>($"""
                    UPDATE conversations SET message_count = message_count + 1, last_activity_at = {now}
                    WHERE id = {conversationId} RETURNING message_count AS "Value"
                    """).ToListAsync(ct);
                var m = new ChatMessage
                {
                    ConversationId = conversationId, Number = number.Single(), SenderId = senderId, Text = text,
                    ClientMessageId = clientMessageId, CreatedAt = now,
                };
                db.Add(m);
                // Sending is reading: the sender has seen everything up to their own message.
                await db.Set<ConversationMember>().Where(x => x.ConversationId == conversationId && x.UserId == senderId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastReadNumber, m.Number), ct);
                var view = await ViewAsync(m, ct);
                foreach (var member in members)
                {
                    outbox.Stage(db, member, MessageCreated, view);
                }

                await db.SaveChangesAsync(ct);
                return view;
            }, ct);
            return (message, true);
        }
        catch (Exception e) when (UniqueViolation.On(e, "chat_messages"))
        {
            // The same clientMessageId raced itself: the other attempt won; answer with its message.
            return (await ExistingAsync(senderId, clientMessageId, ct) ?? throw NotFound(), false);
        }
    }

    public async Task MarkReadAsync(Guid userId, Guid conversationId, Guid messageId, CancellationToken ct)
    {
        var members = await MembersAsync(conversationId, userId, ct);
        var number = await db.Set<ChatMessage>().Where(m => m.Id == messageId && m.ConversationId == conversationId)
            .Select(m => (long?)m.Number).FirstOrDefaultAsync(ct) ?? throw new ApiException(404, "MESSAGE_NOT_FOUND", "No such message.");
        await db.RunAsync(async ct =>
        {
            // Read markers only move forward; reading an older message again tells nobody anything.
            var moved = await db.Set<ConversationMember>()
                .Where(x => x.ConversationId == conversationId && x.UserId == userId && x.LastReadNumber < number)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastReadNumber, number), ct);
            if (moved > 0)
            {
                foreach (var member in members.Where(m => m != userId))
                {
                    outbox.Stage(db, member, MessageReadType, new MessageRead(conversationId, userId, messageId));
                }
            }

            return moved;
        }, ct);
    }

    /// <summary>Whether <paramref name="blockerId"/> has blocked <paramref name="userId"/>.</summary>
    public static Task<bool> BlockedAsync(AppDbContext db, Guid blockerId, Guid userId, CancellationToken ct) =>
        db.Set<UserBlock>().AnyAsync(b => b.BlockerId == blockerId && b.BlockedId == userId, ct);

    /// <summary>In a direct conversation the other member may have blocked the sender; in a group blocks do not silence.</summary>
    private async Task EnsureNotBlockedAsync(Guid senderId, List<Guid> members, CancellationToken ct)
    {
        if (members.Count == 2 && await BlockedAsync(db, members.Single(m => m != senderId), senderId, ct))
        {
            throw Blocked();
        }
    }

    public static ApiException Blocked() => new(403, "BLOCKED", "This user does not accept messages or gifts from you.");

    private async Task<MessageView?> ExistingAsync(Guid senderId, string clientMessageId, CancellationToken ct)
    {
        var m = await db.Set<ChatMessage>().AsNoTracking()
            .FirstOrDefaultAsync(x => x.SenderId == senderId && x.ClientMessageId == clientMessageId, ct);
        return m is null ? null : await ViewAsync(m, ct);
    }

    private async Task<MessageView> ViewAsync(ChatMessage m, CancellationToken ct)
    {
        var username = await db.Users.Where(u => u.Id == m.SenderId).Select(u => u.Username).SingleAsync(ct);
        return View(m, username);
    }

    public static MessageView View(ChatMessage m, string username) =>
        new(m.Id, m.ConversationId, new ChatUser(m.SenderId, username), m.Text, m.ClientMessageId, m.CreatedAt);

    private static ApiException Invalid(string field, string message) =>
        new(400, "VALIDATION_FAILED", "One or more validation errors occurred.", message)
        {
            Extensions = { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } },
        };
}
