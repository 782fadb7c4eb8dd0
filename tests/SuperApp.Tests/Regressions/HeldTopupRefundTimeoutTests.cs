using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Wallet;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Regressions;

/// <summary>
/// A gateway that makes the refund but whose first answer is lost (a timeout after it acted), as real ones do.
/// Webhooks and checkouts are the sandbox's.
/// </summary>
public sealed class LostAnswerRefunds(SandboxPaymentProvider sandbox) : IPaymentProvider
{
    public string Name => "lossy";

    public Checkout CreateCheckout(Topup topup, string baseUrl) => sandbox.CreateCheckout(topup, baseUrl);

    public PaymentEvent? Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body) => sandbox.Verify(headers, body);

    private int _calls;

    /// <summary>The first answer is lost after the refund was made; asked again, the gateway answers with that same refund.</summary>
    public async Task<ProviderRefund> RefundAsync(Topup topup, string reason, CancellationToken ct)
    {
        var refund = await sandbox.RefundAsync(topup, reason, ct);
        return Interlocked.Increment(ref _calls) == 1 ? throw new TimeoutException("The gateway did not answer in time.") : refund;
    }
}

/// <summary>Refunds go through <see cref="LostAnswerRefunds"/>.</summary>
public sealed class LossyRefundSettings : ITestSettings
{
    public static void Configure(AppFixture app) => app.ConfigureServices(s =>
        s.AddSingleton<IPaymentProvider>(sp => new LostAnswerRefunds(sp.GetRequiredService<SandboxPaymentProvider>())));
}

/// <summary>
/// A timeout from the provider is not "nothing went out": the payer may already have the money back.
/// Such a top-up must not be releasable to the wallet (that would pay it twice) until the refund is
/// asked again and settles.
/// </summary>
public abstract class HeldTopupRefundTimeoutTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_refund_whose_answer_was_lost_cannot_then_be_released_to_the_wallet()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        var created = await s.Client.PostAsJsonAsync("/api/wallet/topup", new { amount = 150_000, provider = "lossy" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var (id, reference) = (body.GetProperty("topupId").GetGuid(), body.GetProperty("reference").GetString()!);
        await admin.FreezeAsync(s.UserId);

        var sandbox = app.Services.GetRequiredService<SandboxPaymentProvider>();
        var (payload, signature) = sandbox.BuildWebhook(reference, "paid", 150_000);
        using var webhook = new HttpRequestMessage(HttpMethod.Post,
            "/api/payments/webhooks/lossy") { Content = new ByteArrayContent(payload) };
        webhook.Content.Headers.ContentType = new("application/json");
        webhook.Headers.Add(SandboxPaymentProvider.SignatureHeader, signature);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().SendAsync(webhook)).StatusCode);

        var refund = await admin.ResolveTopupAsync(id, "refund", "fraud confirmed");
        Assert.Equal(502, (int)refund.StatusCode);
        Assert.True(sandbox.Refunds.ContainsKey(id)); // the payer has the money back

        await admin.UnfreezeAsync(s.UserId);
        var release = await admin.ResolveTopupAsync(id, "release", "customer verified");
        Assert.NotEqual(HttpStatusCode.OK, release.StatusCode);
        Assert.Equal(0, await app.BalanceAsync(s.UserId));

        // Asking for the refund again settles it with the provider's one refund.
        var retry = await admin.ResolveTopupAsync(id, "refund", "fraud confirmed");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Single(sandbox.Refunds, r => r.Key == id);
        await app.AssertLedgerConsistentAsync();
    }
}

public sealed class HeldTopupRefundTimeoutTestsOnPostgres(App<Postgres, LossyRefundSettings> app)
    : HeldTopupRefundTimeoutTests<App<Postgres, LossyRefundSettings>>(app);

public sealed class HeldTopupRefundTimeoutTestsOnSqlite(App<Sqlite, LossyRefundSettings> app)
    : HeldTopupRefundTimeoutTests<App<Sqlite, LossyRefundSettings>>(app);
