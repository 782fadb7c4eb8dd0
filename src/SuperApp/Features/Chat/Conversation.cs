using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Chat;

public enum ConversationKind { Direct, Group }

/// <summary>
/// A chat. <c>MessageCount</c> numbers its messages: each new message takes the next number with
/// one UPDATE … RETURNING, which orders messages and makes unread counts a subtraction.
/// A direct conversation has a <c>DirectKey</c> (the two user ids, smaller first), unique.
/// </summary>
public sealed class Conversation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public ConversationKind Kind { get; set; }
    public string? Title { get; set; }
    public string? DirectKey { get; set; }
    public Guid CreatedBy { get; set; }
    public long MessageCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastActivityAt { get; set; }

    public static string KeyFor(Guid a, Guid b) => a.CompareTo(b) < 0 ? $"{a:N}:{b:N}" : $"{b:N}:{a:N}";
}

public sealed class ConversationMember
{
    public Guid ConversationId { get; set; }
    public Guid UserId { get; set; }

    /// <summary>The number of the last message this member read (or sent).</summary>
    public long LastReadNumber { get; set; }

    public DateTime JoinedAt { get; set; }
}

public sealed class ChatMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ConversationId { get; set; }
    public long Number { get; set; }
    public Guid SenderId { get; set; }

    /// <summary>Verbatim, as sent: never interpreted as HTML.</summary>
    public required string Text { get; set; }

    public required string ClientMessageId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The blocker no longer hears from the blocked user: no messages, no gifts.</summary>
public sealed class UserBlock
{
    public Guid BlockerId { get; set; }
    public Guid BlockedId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> b)
    {
        b.ToTable("conversations");
        b.HasKey(c => c.Id);
        b.Property(c => c.Kind).HasConversion(EnumText.Converter<ConversationKind>()).HasMaxLength(8);
        b.Property(c => c.Title).HasMaxLength(100);
        b.Property(c => c.DirectKey).HasMaxLength(65);
        b.HasIndex(c => c.DirectKey).IsUnique();
    }
}

public sealed class ConversationMemberConfiguration : IEntityTypeConfiguration<ConversationMember>
{
    public void Configure(EntityTypeBuilder<ConversationMember> b)
    {
        b.ToTable("conversation_members");
        b.HasKey(m => new { m.ConversationId, m.UserId });
        b.HasIndex(m => m.UserId);
        b.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> b)
    {
        b.ToTable("chat_messages");
        b.HasKey(m => m.Id);
        b.Property(m => m.Text).HasMaxLength(ChatOptions.MaxTextLength);
        b.Property(m => m.ClientMessageId).HasMaxLength(64);
        b.HasIndex(m => new { m.ConversationId, m.Number }).IsUnique();
        // A sender's retry with the same clientMessageId finds the first message instead of making a second.
        b.HasIndex(m => new { m.SenderId, m.ClientMessageId }).IsUnique();
        b.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class UserBlockConfiguration : IEntityTypeConfiguration<UserBlock>
{
    public void Configure(EntityTypeBuilder<UserBlock> b)
    {
        b.ToTable("user_blocks");
        b.HasKey(x => new { x.BlockerId, x.BlockedId });
        b.HasIndex(x => x.BlockedId);
    }
}
