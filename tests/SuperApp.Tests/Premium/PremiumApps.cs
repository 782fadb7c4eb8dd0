using System.Net;
using System.Net.Http.Json;
using SuperApp.Platform.Idempotency;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Premium;

/// <summary>Premium settings for tests: a media folder of the app's own and a small upload limit to test against.</summary>
public sealed class PremiumSettings : ITestSettings
{
    public const long MaxUploadBytes = 256 * 1024;

    public static string MediaDirectory(AppFixture app) => app.TempDirectory("media");

    public static void Configure(AppFixture app)
    {
        app.Settings["Premium:Media:StoragePath"] = MediaDirectory(app);
        app.Settings["Premium:Media:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

public static class PremiumApi
{

    public static object Draft(long price = 10_000, string category = "education", bool subscriberOnly = false, string[]? tags = null,
        string? title = null, string? description = null) =>
        new { title = title ?? "Guide " + Guid.NewGuid().ToString("N")[..8], description = description ?? "Step by step.", category,
            price, subscriberOnly, tags = tags ?? [] };

    /// <summary>Creates content through the API and, unless told otherwise, publishes it.</summary>
    public static async Task<Guid> CreateContentAsync(this Session creator, object? draft = null, bool publish = true)
    {
        var created = await creator.Client.PostAsJsonAsync("/api/premium", draft ?? Draft());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        if (publish)
        {
            Assert.Equal(HttpStatusCode.OK, (await creator.Client.PostAsync($"/api/premium/{id}/publish", null)).StatusCode);
        }

        return id;
    }

    public static Task<HttpResponseMessage> UnlockAsync(this Session buyer, Guid contentId) =>
        buyer.Client.PostAsJsonAsync("/api/premium/unlock", new { contentId });

    /// <summary>An unlock with a chosen Idempotency-Key (and request id, to find its audit rows).</summary>
    public static HttpRequestMessage Unlock(Guid contentId, string key, string? requestId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/premium/unlock") { Content = JsonContent.Create(new { contentId }) };
        request.Headers.Add(IdempotencyFilter.Header, key);
        if (requestId is not null)
        {
            request.Headers.Add("X-Request-Id", requestId);
        }

        return request;
    }
}
