using System.Net;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

public sealed class OpenApiDocsSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["OpenApi:Enabled"] = "true";
    }
}

public sealed class PremiumDocsTests(App<Sqlite, OpenApiDocsSettings> app) : IClassFixture<App<Sqlite, OpenApiDocsSettings>>
{
    [Fact]
    public async Task The_api_document_describes_the_premium_routes_the_upload_form_and_the_idempotency_key()
    {
        var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.JsonAsync()).GetProperty("paths");
        foreach (var path in new[] { "/api/premium", "/api/premium/browse", "/api/premium/mine", "/api/premium/unlocked",
            "/api/premium/unlock",
                     "/api/premium/{id}", "/api/premium/{id}/media", "/api/premium/{id}/access", "/api/premium/{id}/publish",
                     "/api/premium/{id}/unpublish", "/api/premium/{id}/unlock" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.True(paths.GetProperty("/api/premium/{id}/media").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .TryGetProperty("multipart/form-data", out _));
        var unlockParameters = paths.GetProperty("/api/premium/unlock").GetProperty("post").GetProperty("parameters");
        Assert.Contains(unlockParameters.EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
    }
}
