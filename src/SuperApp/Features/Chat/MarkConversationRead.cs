namespace SuperApp.Features.Chat;

public sealed record MarkReadRequest(Guid? MessageId);

public static class MarkConversationRead
{
    /// <summary>Moves the caller's read marker forward to a message; the other members get <c>message.read</c>.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        Guid id, MarkReadRequest request, ClaimsPrincipal principal, ChatService chat, CancellationToken ct)
    {
        if (request.MessageId is not { } messageId)
        {
            return Problems.Validation("messageId", "Name the last message read.");
        }

        await chat.MarkReadAsync(principal.UserId(), id, messageId, ct);
        return TypedResults.NoContent();
    }
}
