using System.Text.Json;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Features.Realtime;

/// <summary>A durable event for one user, written in the transaction of what it reports (the outbox).</summary>
public sealed class RealtimeEvent
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public long Seq { get; set; }
    public required string Type { get; set; }

    /// <summary>The <c>data</c> of the envelope, as JSON text.</summary>
    public required string Data { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A user's last allocated seq: updating this row is what makes seqs gapless and ordered per user.</summary>
public sealed class RealtimeSequence
{
    public Guid UserId { get; set; }
    public long LastSeq { get; set; }
}

/// <summary>What a client receives through the hub's one method, <c>event</c>; ephemeral events have no seq.</summary>
public sealed record RealtimeEnvelope(long? Seq, string Type, DateTime At, JsonElement Data)
{
    public static RealtimeEnvelope Ephemeral(string type, DateTime at, object data) =>
        new(null, type, at, JsonSerializer.SerializeToElement(data, RealtimeJson.Options));

    public static RealtimeEnvelope From(RealtimeEvent e) =>
        new(e.Seq, e.Type, e.CreatedAt, JsonDocument.Parse(e.Data).RootElement.Clone());
}

public static class RealtimeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

public sealed class RealtimeEventConfiguration : IEntityTypeConfiguration<RealtimeEvent>
{
    public void Configure(EntityTypeBuilder<RealtimeEvent> b)
    {
        b.ToTable("realtime_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Type).HasMaxLength(64);
        b.HasIndex(e => new { e.UserId, e.Seq }).IsUnique();
        // The retention purge walks this index.
        b.HasIndex(e => e.CreatedAt);
    }
}

public sealed class RealtimeSequenceConfiguration : IEntityTypeConfiguration<RealtimeSequence>
{
    public void Configure(EntityTypeBuilder<RealtimeSequence> b)
    {
        b.ToTable("realtime_sequences");
        b.HasKey(e => e.UserId);
    }
}
