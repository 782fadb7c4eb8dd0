using System.Net;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Observability;

/// <summary>Redis configured but not there, and a free-space threshold no disk meets.</summary>
public sealed class DegradedDependenciesSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["REDIS_URL"] = "127.0.0.1:1";
        app.Settings["Observability:DiskMinFreeRatio"] = "1.0";
    }
}

public sealed class DiskAndRedisHealthTests(App<Sqlite, DegradedDependenciesSettings> app)
    : IClassFixture<App<Sqlite, DegradedDependenciesSettings>>
{
    [Fact]
    public async Task Unreachable_redis_and_low_disk_degrade_the_service_without_taking_it_down()
    {
        var response = await app.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal("degraded", SuperApp.Tests.Health.Health.Check(body, "redis").GetProperty("status").GetString());
        var disk = SuperApp.Tests.Health.Health.Check(body, "disk");
        Assert.Equal("degraded", disk.GetProperty("status").GetString());
        Assert.Contains("free", disk.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", SuperApp.Tests.Health.Health.Check(body, "database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_ignores_redis_and_disk()
    {
        var response = await app.CreateClient().GetAsync("/api/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (await response.JsonAsync()).GetProperty("status").GetString());
    }
}

public sealed class DiskHealthTests(App<Sqlite, Defaults> app) : IClassFixture<App<Sqlite, Defaults>>
{
    [Fact]
    public async Task The_disk_check_reports_free_space()
    {
        var body = await (await app.CreateClient().GetAsync("/api/health")).JsonAsync();

        var disk = SuperApp.Tests.Health.Health.Check(body, "disk");
        Assert.Matches(@"^\d+ ?% free \(\d+ MiB\)", disk.GetProperty("description").GetString()!);
    }
}
