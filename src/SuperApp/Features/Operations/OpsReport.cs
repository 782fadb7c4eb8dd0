using System.Text.Json;
using System.Text.Json.Serialization;

namespace SuperApp.Features.Operations;

public enum CheckStatus { Pass, Warn, Fail }

/// <summary>One thing a verb checked, with what it saw (never a secret's value) and, when it failed, why.</summary>
public sealed record OpsCheck(string Name, CheckStatus Status, string Value, string? Detail = null)
{
    public static OpsCheck Pass(string name, string value, string? detail = null) => new(name, CheckStatus.Pass, value, detail);
    public static OpsCheck Warn(string name, string value, string? detail = null) => new(name, CheckStatus.Warn, value, detail);
    public static OpsCheck Fail(string name, string value, string? detail = null) => new(name, CheckStatus.Fail, value, detail);
    public static OpsCheck Of(string name, bool ok, string value, string? detail = null) =>
        new(name, ok ? CheckStatus.Pass : CheckStatus.Fail, value, ok ? null : detail);
}

/// <summary>
/// What a verb found: its checks, and figures for the checklist report (sizes, timings, percentiles).
/// Ok means no check failed (warnings do not fail a verb); the exit code follows it.
/// </summary>
public sealed class OpsReport(string verb)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Verb { get; } = verb;
    public bool Ok => Checks.All(c => c.Status != CheckStatus.Fail);
    public List<OpsCheck> Checks { get; } = [];
    public Dictionary<string, object?> Figures { get; } = [];

    /// <summary>Extra tables (index sizes, per-operation latency) as rows of cells, first row the header.</summary>
    public Dictionary<string, List<string[]>> Tables { get; } = [];

    public OpsCheck Add(OpsCheck check)
    {
        Checks.Add(check);
        return check;
    }

    public OpsReport Fail(string name, string value, string? detail = null)
    {
        Checks.Add(OpsCheck.Fail(name, value, detail));
        return this;
    }

    public int ExitCode => Ok ? 0 : 1;
}
