namespace SuperApp.Features.Chat;

public sealed record ChatUser(Guid Id, string Username);

public sealed record MessageView(Guid Id, Guid ConversationId, ChatUser Sender, string Text, string ClientMessageId, DateTime CreatedAt);

public sealed record ConversationView(Guid Id, ConversationKind Kind, string? Title, IReadOnlyList<ChatUser> Members, DateTime CreatedAt);

public sealed record ConversationSummary(
    Guid Id, ConversationKind Kind, string? Title, IReadOnlyList<ChatUser> Members, MessageView? LastMessage, long UnreadCount);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary><c>message.read</c>: who read up to which message.</summary>
public sealed record MessageRead(Guid ConversationId, Guid UserId, Guid MessageId);
