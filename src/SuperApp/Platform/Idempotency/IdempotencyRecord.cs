using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SuperApp.Platform.Idempotency;

/// <summary>
/// One use of an <c>Idempotency-Key</c> by one user. Written inside the transaction of the request's
/// work, so outside that transaction a record is only ever seen completed, holding the response to
/// replay.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public required string Key { get; set; }
    public required byte[] RequestHash { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseContentType { get; set; }
    public string? ResponseLocation { get; set; }
    public byte[]? ResponseBody { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_records");
        b.Property(r => r.Key).HasMaxLength(255);
        b.Property(r => r.RequestHash).HasMaxLength(32);
        b.Property(r => r.ResponseContentType).HasMaxLength(100);
        b.Property(r => r.ResponseLocation).HasMaxLength(300);
        b.HasIndex(r => new { r.UserId, r.Key }).IsUnique();
        b.HasIndex(r => r.ExpiresAt);
    }
}
