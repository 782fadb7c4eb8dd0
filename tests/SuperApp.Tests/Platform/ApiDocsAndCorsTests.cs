using System.Net;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Platform;

public sealed class DocsSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["OpenApi:Enabled"] = "true";
        app.Settings["Http:CorsOrigins:0"] = "https://app.example.com";
    }
}

public sealed class ApiDocsAndCorsTests(App<Sqlite, DocsSettings> app) : IClassFixture<App<Sqlite, DocsSettings>>
{
    [Fact]
    public async Task The_openapi_document_declares_bearer_auth_and_the_idempotency_header()
    {
        var doc = await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme")
            .GetString());
        var transfer = doc.GetProperty("paths").GetProperty("/api/wallet/transfer").GetProperty("post");
        Assert.Contains(transfer.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/scalar/")).StatusCode);
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://evil.example.net", false)]
    public async Task Cors_allows_only_configured_origins(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/wallet/balance");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        var response = await app.CreateClient().SendAsync(preflight);
        Assert.Equal(allowed, response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class DefaultCorsTests(App<Sqlite, Defaults> app) : IClassFixture<App<Sqlite, Defaults>>
{
    [Fact]
    public async Task Without_configured_origins_no_browser_origin_is_allowed()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/auth/login");
        preflight.Headers.Add("Origin", "https://app.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        Assert.False((await app.CreateClient().SendAsync(preflight)).Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
    }
}
