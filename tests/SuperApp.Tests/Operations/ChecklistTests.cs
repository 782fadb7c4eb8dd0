using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Operations;

/// <summary>checklist report run as the built binary against a deployment of the built service: the Markdown it writes.</summary>
public sealed class ChecklistTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "superapp-checklist-tests", Guid.NewGuid().ToString("N"));
    private string _database = "";

    public async ValueTask InitializeAsync() => _database = await TestServers.CreatePostgresDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        await TestServers.DropPostgresDatabaseAsync(_database);
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_report_fills_the_blanks_marks_each_item_and_leaves_sign_offs_to_sign()
    {
        await using var host = await ServiceHost.StartAsync(_database, new Dictionary<string, string?> { ["RATE_LIMIT_ENABLED"] = "true" });
        var file = Path.Combine(_dir, "checklist.md");

        var (exit, output) = await ServiceProcess.RunAsync(_database,
            ["checklist", "report", "--base-url", host.BaseUrl, "--out", file, "--backup-dir", _dir, "--load-rate", "20",
                "--load-duration", "2"],
            new Dictionary<string, string?>
            {
                ["SUPERAPP_ADMIN_EMAIL"] = ServiceHost.AdminEmail,
                ["SUPERAPP_ADMIN_PASSWORD"] = ServiceHost.AdminPassword,
                ["Http__KnownProxies__0"] = "10.0.0.1",
            });

        Assert.True(exit == 0, output);
        var md = await File.ReadAllTextAsync(file);
        Assert.Contains("- [x] **Verify backup integrity**", md, StringComparison.Ordinal);
        Assert.Matches(@"- \[x\] \*\*Backup size:\*\* \d+(\.\d+)? KB", md);
        Assert.Contains("- [x] **Verify all 18 indexes created successfully**", md, StringComparison.Ordinal);
        Assert.Matches(@"  - Total index overhead: \d+(\.\d+)? (KB|MB)", md);
        Assert.Matches(@"  - p95 response time: \d+\.\d ms", md);
        Assert.Contains("- [x] **Health check endpoint:**", md, StringComparison.Ordinal);
        Assert.Contains("- [x] **Rate limiting:** 429 error returned", md, StringComparison.Ordinal);
        Assert.Contains("- [x] **Socket.io connection:**", md, StringComparison.Ordinal);
        Assert.Contains("- [ ] **Sign-off:** _______________ (DevOps Lead)", md, StringComparison.Ordinal);
        Assert.Contains("| **Product Owner** | _______________ |", md, StringComparison.Ordinal);
        Assert.DoesNotContain(ServiceProcess.Secret, md, StringComparison.Ordinal);
    }
}
