namespace SuperApp.Features.Wallet;

public enum PaymentOutcome { Succeeded, Failed, Cancelled }

/// <summary>A verified payment notification.</summary>
public sealed record PaymentEvent(string Reference, PaymentOutcome Outcome, long Amount);

public sealed record Checkout(string Reference, string CheckoutUrl);

/// <summary>A payment gateway. Each one signs its webhooks its own way; only verified events move money.</summary>
public interface IPaymentProvider
{
    string Name { get; }

    Checkout CreateCheckout(Topup topup, string baseUrl);

    /// <summary>The event in a webhook, or null when its signature or timestamp does not check out.</summary>
    PaymentEvent? Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body);
}
