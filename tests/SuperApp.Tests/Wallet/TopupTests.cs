using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Wallet;

public abstract class TopupTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_paid_topup_credits_the_wallet_once_however_often_the_webhook_comes()
    {
        var s = await app.RegisterAsync();
        var created = await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 150_000, provider = "sandbox" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.Contains("/api/payments/sandbox/", body.GetProperty("checkoutUrl").GetString(), StringComparison.Ordinal);
        var reference = body.GetProperty("reference").GetString()!;

        for (var i = 0; i < 3; i++)
        {
            var webhook = await app.SendWebhookAsync(reference, "paid", 150_000);
            Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
            Assert.Equal("succeeded", (await webhook.JsonAsync()).GetProperty("status").GetString());
        }

        var balance = await (await s.Client.GetAsync("/api/wallet/balance")).JsonAsync();
        Assert.Equal(150_000, balance.GetProperty("balance").GetInt64());
        Assert.Equal("IDR", balance.GetProperty("currency").GetString());
        Assert.Equal("active", balance.GetProperty("status").GetString());
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task The_sandbox_pay_endpoint_tops_up_through_the_signed_webhook_path()
    {
        var s = await app.RegisterAsync();
        var id = (await (await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 20_000, provider = "sandbox" })).JsonAsync())
            .GetProperty("topupId").GetGuid();

        var other = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsync($"/api/payments/sandbox/{id}/pay", null)).StatusCode);

        var paid = await s.Client.PostAsync($"/api/payments/sandbox/{id}/pay", null);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(20_000, await app.BalanceAsync(s.UserId));
    }

    [Fact]
    public async Task Bad_signatures_and_stale_timestamps_are_refused_and_change_nothing()
    {
        var s = await app.RegisterAsync();
        var reference = (await (await s.Client.PostAsJsonAsync("/api/wallet/topup",
            new { amount = 30_000, provider = "sandbox" })).JsonAsync())
            .GetProperty("reference").GetString()!;

        var forged = await app.SendWebhookAsync(reference, "paid", 30_000,
            signature: $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={new string('a', 64)}");
        await forged.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_SIGNATURE");

        var stale = await app.SendWebhookAsync(reference, "paid", 30_000,
            signature: $"t={DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()},v1={new string('b', 64)}");
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);

        var missing = await app.SendWebhookAsync(reference, "paid", 30_000, signature: "");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);

        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        Assert.True(await app.WithDbAsync(db => db.Topups.AnyAsync(t => t.ProviderReference == reference
            && t.Status == TopupStatus.Pending)));
    }

    [Fact]
    public async Task A_failed_payment_marks_the_topup_failed_and_a_late_success_is_held_not_credited()
    {
        var s = await app.RegisterAsync();
        var reference = (await (await s.Client.PostAsJsonAsync("/api/wallet/topup",
            new { amount = 40_000, provider = "sandbox" })).JsonAsync())
            .GetProperty("reference").GetString()!;

        Assert.Equal("failed",
            (await (await app.SendWebhookAsync(reference, "failed", 40_000)).JsonAsync()).GetProperty("status").GetString());
        // The provider has the money after all: it is held in suspense for an admin, not credited unasked nor dropped.
        Assert.Equal("held", await app.WebhookStatusAsync(reference, "paid", 40_000));
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
        await app.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Topup_input_errors()
    {
        var s = await app.RegisterAsync();
        await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 9_999, provider = "sandbox" })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await s.Client.PostAsJsonAsync("/api/wallet/topup",
                new { amount = 100_000_001, provider = "sandbox" })
                    .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "LIMIT_EXCEEDED");
        await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 50_000, provider = "paypal" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = -5, provider = "sandbox" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await app.CreateClient().PostAsJsonAsync("/api/wallet/topup", new { amount = 50_000, provider = "sandbox" })).StatusCode);

        var mismatch = await app.SendWebhookAsync((await (await s.Client.PostAsJsonAsync("/api/wallet/topup",
            new { amount = 50_000, provider = "sandbox" })).JsonAsync())
            .GetProperty("reference").GetString()!, "paid", 1);
        await mismatch.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "AMOUNT_MISMATCH");
        Assert.Equal(0, await app.BalanceAsync(s.UserId));
    }
}

public sealed class TopupTestsOnPostgres(App<Postgres, Defaults> app) : TopupTests<App<Postgres, Defaults>>(app);

public sealed class TopupTestsOnSqlite(App<Sqlite, Defaults> app) : TopupTests<App<Sqlite, Defaults>>(app);

/// <summary>The service as Production runs it by default: no sandbox gateway to credit wallets with.</summary>
public sealed class NoSandboxSettings : ITestSettings
{
    public static void Configure(AppFixture app)
    {
        app.Settings["Payments:SandboxEnabled"] = "false";
    }
}

public sealed class SandboxOffTests(App<Postgres, NoSandboxSettings> app) : IClassFixture<App<Postgres, NoSandboxSettings>>
{
    [Fact]
    public async Task Without_the_sandbox_its_webhooks_and_checkout_are_not_there()
    {
        var s = await app.RegisterAsync();
        var topup = await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 20_000, provider = "sandbox" });
        await topup.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var webhook = await app.CreateClient().PostAsync("/api/payments/webhooks/sandbox", new StringContent("{}"));
        await webhook.ShouldBeProblemAsync(HttpStatusCode.NotFound, "PROVIDER_NOT_FOUND");
        Assert.Equal(HttpStatusCode.NotFound, (await s.Client.PostAsync($"/api/payments/sandbox/{Guid.NewGuid()}/pay", null)).StatusCode);
    }
}
