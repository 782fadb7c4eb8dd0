namespace SuperApp.Platform.Idempotency;

public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>From <c>IDEMPOTENCY_ENABLED</c>; off means keys are neither required nor checked.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a key and its stored response are kept.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);
}
