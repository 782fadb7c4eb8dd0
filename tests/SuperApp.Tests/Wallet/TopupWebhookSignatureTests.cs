using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

/// <summary>A malformed signature header is a bad signature (401), never a 500, and changes nothing.</summary>
public abstract class TopupWebhookSignatureTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Malformed_signature_headers_are_refused_as_invalid()
    {
        var s = await app.RegisterAsync();
        var (_, reference) = await app.CreateTopupAsync(s, 30_000);
        var sandbox = app.Services.GetRequiredService<SandboxPaymentProvider>();
        var (_, valid) = sandbox.BuildWebhook(reference, "paid", 30_000);
        var v1 = valid.Split(",v1=")[1];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        string[] headers =
        [
            $"t=1,t=2,v1={v1}",
            $"{valid},t={now}",
            $"{valid},v1={v1}",
            "t=1,t=2",
            $"t=99999999999999999,v1={v1}",
            $"t=999999999999999,v1={v1}",
            $"t=-5,v1={v1}",
            $"t={now}",
            $"v1={v1}",
            "garbage",
            ",,,",
            "=,=",
            $"t={now},v1=",
            $"t={now},v1=zz",
        ];
        foreach (var header in headers)
        {
            var response = await app.SendWebhookAsync(reference, "paid", 30_000, signature: header);
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        }

        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.Equal(TopupStatus.Pending,
            await app.WithDbAsync(db => db.Topups.Where(t => t.ProviderReference == reference).Select(t => t.Status).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await app.SendWebhookAsync(reference, "paid", 30_000)).StatusCode);
        Assert.Equal(30_000, await app.BalanceAsync(s.UserId));
    }

    [Fact]
    public async Task A_signed_body_that_is_not_an_event_is_refused()
    {
        var sandbox = app.Services.GetRequiredService<SandboxPaymentProvider>();
        foreach (var text in new[] { "not json", "[1,2]", "{\"reference\":\"x\",\"status\":\"paid\",\"amount\":1e40}", "null" })
        {
            var body = System.Text.Encoding.UTF8.GetBytes(text);
            var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/sandbox");
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(SandboxPaymentProvider.SignatureHeader, $"t={t},v1={sandbox.Sign(t, body)}");
            await app.CreateClient().SendAsync(request).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");
        }
    }
}

public sealed class TopupWebhookSignatureTestsOnPostgres(App<Postgres, Defaults> app)
    : TopupWebhookSignatureTests<App<Postgres, Defaults>>(app);

public sealed class TopupWebhookSignatureTestsOnSqlite(App<Sqlite, Defaults> app) : TopupWebhookSignatureTests<App<Sqlite, Defaults>>(app);
