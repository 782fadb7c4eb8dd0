namespace SuperApp.Features.Creators;

/// <summary>Config section <c>Creators</c>: how often pending earnings past the holding period are settled.</summary>
public sealed class CreatorsOptions
{
    public const string Section = "Creators";

    public TimeSpan SettlementInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Off leaves settlement to the admin endpoint (for instance on a read-only replica).</summary>
    public bool SettlementEnabled { get; set; } = true;
}
