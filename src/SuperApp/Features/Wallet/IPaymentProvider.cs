namespace SuperApp.Features.Wallet;

/// <summary>What the provider reports: paid, failed, cancelled, or a paid one taken back (chargeback).</summary>
public enum PaymentOutcome { Succeeded, Failed, Cancelled, ChargedBack }

/// <summary>A verified payment notification.</summary>
public sealed record PaymentEvent(string Reference, PaymentOutcome Outcome, long Amount);

public sealed record Checkout(string Reference, string CheckoutUrl);

/// <summary>The provider's record of a refund it has sent back to the payer.</summary>
public sealed record ProviderRefund(string Reference, long Amount);

/// <summary>A payment gateway. Each one signs its webhooks its own way; only verified events move money.</summary>
public interface IPaymentProvider
{
    string Name { get; }

    Checkout CreateCheckout(Topup topup, string baseUrl);

    /// <summary>The event in a webhook, or null when its signature, timestamp or body does not check out. Never throws.</summary>
    PaymentEvent? Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body);

    /// <summary>
    /// Sends a top-up's money back to the payer. Must be idempotent per top-up: asked again for the
    /// same one (a retried unit of work) it answers with the same refund and moves nothing more.
    /// </summary>
    Task<ProviderRefund> RefundAsync(Topup topup, string reason, CancellationToken ct);
}
