namespace SuperApp.Features.Subscriptions;

public sealed class SubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>Whether this instance runs the renewal and expiry jobs (safe on every instance at once).</summary>
    public bool JobsEnabled { get; set; } = true;

    /// <summary>How often the jobs look for due renewals and lapsed subscriptions.</summary>
    public TimeSpan JobInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most renewals one job run charges; the rest wait for the next tick.</summary>
    public int RenewalBatchSize { get; set; } = 200;

    public bool IsValid => JobInterval > TimeSpan.Zero && RenewalBatchSize is > 0 and <= 10_000;
}
