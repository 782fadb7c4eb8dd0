using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Platform.Audit;

/// <summary>Who did what to which entity, with the state before and after (JSON), request id and IP.</summary>
public sealed class AuditLog : IHasId
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? ActorId { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }
    public Guid? TransactionId { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? RequestId { get; set; }
    public string? Ip { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class AuditLogConfiguration : IEntityTypeConfiguration<AuditLog>
{
    public void Configure(EntityTypeBuilder<AuditLog> b)
    {
        b.ToTable("audit_logs");
        b.Property(a => a.Action).HasMaxLength(64);
        b.Property(a => a.EntityType).HasMaxLength(40);
        b.Property(a => a.EntityId).HasMaxLength(64);
        b.Property(a => a.RequestId).HasMaxLength(64);
        b.Property(a => a.Ip).HasMaxLength(45);
        b.HasIndex(a => new { a.TransactionId, a.CreatedAt }).IsDescending(false, true);
        b.HasIndex(a => new { a.EntityType, a.EntityId });
        b.HasIndex(a => a.ActorId);
        b.HasIndex(a => a.RequestId);
    }
}
