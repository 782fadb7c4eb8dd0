using System.Net;

namespace SuperApp.Platform.Observability;

/// <summary>The <c>Observability</c> section; checked at start so a typo in a network fails the deploy, not a scrape.</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>Off turns the OpenTelemetry metrics pipeline off entirely (benchmarks compare both).</summary>
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>CIDR networks (besides loopback) whose clients may read <c>/metrics</c> on the main port.</summary>
    public List<string> MetricsAllowedNetworks { get; set; } = [];

    /// <summary>When set, <c>/metrics</c> is served on this port only (keep it off the public load balancer).</summary>
    [Range(1, 65535)]
    public int? MetricsPort { get; set; }

    /// <summary>Database commands slower than this are logged with their SQL shape (0 logs every command, for a diagnosis).</summary>
    [Range(0, 600_000)]
    public int SlowQueryMs { get; set; } = 200;

    /// <summary>Below this share of free space the disk check reports degraded (the critical alert fires at the same line).</summary>
    [Range(0.0, 1.0)]
    public double DiskMinFreeRatio { get; set; } = 0.2;

    /// <summary>The volume watched for free space; defaults to the log directory's.</summary>
    public string? DiskPath { get; set; }

    /// <summary>How often the service checks the ledger's invariants for the alert; zero turns it off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan LedgerVerifyInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often database-backed gauges (held top-ups) are refreshed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    internal IReadOnlyList<IPNetwork> ParsedNetworks() => [.. MetricsAllowedNetworks.Select(n => IPNetwork.Parse(n.Trim()))];
}

internal sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        var bad = options.MetricsAllowedNetworks.Where(n => !IPNetwork.TryParse(n.Trim(), out _)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Observability:MetricsAllowedNetworks has entries that are not CIDR networks: {string.Join(", ", bad)}");
    }
}
