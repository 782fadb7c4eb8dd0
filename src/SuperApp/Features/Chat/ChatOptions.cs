namespace SuperApp.Features.Chat;

public sealed class ChatOptions
{
    public const string Section = "Chat";
    public const int MaxTextLength = 4000;

    /// <summary>Members of a group, its creator included.</summary>
    [Range(2, 1000)]
    public int MaxMembers { get; set; } = 50;

    /// <summary>Per user, REST and hub together.</summary>
    [Range(1, 100_000)]
    public int MessagesPerMinute { get; set; } = 60;
}
