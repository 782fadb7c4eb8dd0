using SuperApp.Features.Operations;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Operations;

/// <summary>smoke against the built service serving over real HTTP, with rate limiting on (healthy) and off.</summary>
public sealed class SmokeTests : IAsyncLifetime
{
    private readonly List<string> _databases = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _databases)
        {
            await TestServers.DropPostgresDatabaseAsync(db);
        }
    }

    private async Task<ServiceHost> StartAsync(bool rateLimits)
    {
        var db = await TestServers.CreatePostgresDatabaseAsync();
        _databases.Add(db);
        return await ServiceHost.StartAsync(db, new Dictionary<string, string?> { ["RATE_LIMIT_ENABLED"] = rateLimits ? "true" : "false" });
    }

    [Fact]
    public async Task A_healthy_instance_passes_every_item_including_a_message_through_the_hub()
    {
        await using var host = await StartAsync(rateLimits: true);

        var report = await Smoke.RunAsync(new SmokeOptions(host.BaseUrl, ServiceHost.AdminEmail, ServiceHost.AdminPassword), default);

        Assert.True(report.Checks.All(c => c.Status == CheckStatus.Pass), string.Join('\n', report.Checks));
        Assert.Equal(11, report.Checks.Count);
        Assert.Contains(report.Checks, c => c.Name == "real-time messaging"
            && c.Value.StartsWith("message.created delivered", StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.Name == "rate limiting" && c.Value.StartsWith("429 RATE_LIMITED at request 11",
            StringComparison.Ordinal));
        Assert.Contains(report.Checks, c => c.Name == "cleanup" && c.Value == "3/3 test accounts deleted");
    }

    [Fact]
    public async Task An_instance_with_rate_limiting_off_fails_the_smoke()
    {
        await using var host = await StartAsync(rateLimits: false);

        var (exit, output) = await ServiceProcess.RunAsync(host.Database, ["smoke", "--base-url", host.BaseUrl],
            new Dictionary<string, string?> { ["SUPERAPP_ADMIN_EMAIL"] = ServiceHost.AdminEmail,
                ["SUPERAPP_ADMIN_PASSWORD"] = ServiceHost.AdminPassword });

        Assert.True(exit == 1, output);
        Assert.Matches(@"rate limiting\s*│\s*FAIL\s*│\s*no X-RateLimit-Limit", output);
        Assert.Matches(@"idempotency\s*│\s*PASS", output);
    }
}
