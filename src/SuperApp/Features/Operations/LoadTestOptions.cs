namespace SuperApp.Features.Operations;

public enum LoadScenario { Mix, Transfer, Read }

public sealed record LoadTestOptions(
    SmokeOptions Target, double Rate, TimeSpan Duration, LoadScenario Scenario = LoadScenario.Mix, int Users = 10, string Tier = "premium")
{
    /// <summary>The checklist's §4.2 targets.</summary>
    public static readonly TimeSpan P50Target = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan P95Target = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan P99Target = TimeSpan.FromMilliseconds(1000);
    public const double ErrorRateTarget = 0.01;
}

/// <summary>One kind of request in a scenario, and its share of the requests.</summary>
public sealed record LoadOperation(string Name, int Weight, bool Money);

public static class LoadScenarios
{
    /// <summary>
    /// The smoke list in realistic proportions: reads dominate (80 %), money writes are a fifth.
    /// Unlocks and subscriptions are one-off per buyer, so the repeatable money writes stand for them.
    /// </summary>
    public static LoadOperation[] For(LoadScenario scenario) => scenario switch
    {
        LoadScenario.Transfer => [new("transfer", 1, true)],
        LoadScenario.Read => [new("balance", 35, false), new("transactions", 25, false), new("browse", 25, false), new("leaderboard", 15,
            false)],
        _ =>
        [
            new("balance", 25, false), new("transactions", 15, false), new("browse", 15, false), new("leaderboard", 10, false),
            new("content", 10, false), new("subscription check", 5, false), new("transfer", 14, true), new("gift", 6, true),
        ],
    };
}
