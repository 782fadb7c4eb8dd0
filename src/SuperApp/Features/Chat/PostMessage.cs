namespace SuperApp.Features.Chat;

public sealed record PostMessageRequest(string? ClientMessageId, string? Text);

public static class PostMessage
{
    /// <summary>Sends a message; the same clientMessageId again answers 200 with the first message, never a second one.</summary>
    public static async Task<Results<Created<MessageView>, Ok<MessageView>>> Handle(
        Guid id, PostMessageRequest request, ClaimsPrincipal principal, ChatService chat, CancellationToken ct)
    {
        var (message, created) = await chat.SendAsync(principal.UserId(), id, request.ClientMessageId, request.Text, ct);
        return created
            ? TypedResults.Created($"/api/chat/conversations/{id}/messages/{message.Id}", message)
            : TypedResults.Ok(message);
    }
}
