using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SuperApp.Features.Wallet;

/// <summary>
/// A stand-in gateway for development and tests that behaves like a real one: webhooks carry
/// <c>X-Sandbox-Signature: t=UNIX,v1=HEX</c>, an HMAC-SHA256 of <c>"{t}.{body}"</c> with the shared
/// secret, and are refused outside the timestamp tolerance. Event statuses: <c>paid</c>, <c>failed</c>,
/// <c>cancelled</c> and <c>chargeback</c>. Refunds are recorded in memory, one per top-up.
/// </summary>
public sealed class SandboxPaymentProvider(IOptions<PaymentsOptions> options, TimeProvider time) : IPaymentProvider
{
    public const string SignatureHeader = "X-Sandbox-Signature";

    public string Name => "sandbox";

    public Checkout CreateCheckout(Topup topup, string baseUrl) =>
        new($"sbx_{topup.Id:N}", $"{baseUrl}/api/payments/sandbox/{topup.Id}/pay");

    public PaymentEvent? Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        if (ParseSignature(headers[SignatureHeader].ToString()) is not (var signedAt, var given))
        {
            return null;
        }

        var age = time.GetUtcNow() - signedAt;
        if (age.Duration() > options.Value.WebhookTolerance)
        {
            return null;
        }

        var expected = Sign(signedAt.ToUnixTimeSeconds(), body);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant())))
        {
            return null;
        }

        SandboxEvent? doc;
        try
        {
            doc = JsonSerializer.Deserialize<SandboxEvent>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null; // signed but not an event we understand: refused like a bad signature
        }

        return doc is { Reference: { Length: > 0 } reference, Amount: > 0 } && Outcome(doc.Status) is { } outcome
            ? new PaymentEvent(reference, outcome, doc.Amount)
            : null;
    }

    public string Sign(long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SandboxSecret), message));
    }

    /// <summary>A correctly signed webhook for a reference, as the sandbox gateway would send it.</summary>
    public (byte[] Body, string Signature) BuildWebhook(string reference, string status, long amount)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new SandboxEvent(reference, status, amount), JsonSerializerOptions.Web);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return (body, $"t={now},v1={Sign(now, body)}");
    }

    private static PaymentOutcome? Outcome(string? status) => status switch
    {
        "paid" => PaymentOutcome.Succeeded,
        "failed" => PaymentOutcome.Failed,
        "cancelled" => PaymentOutcome.Cancelled,
        "chargeback" => PaymentOutcome.ChargedBack,
        _ => null,
    };

    /// <summary>
    /// <c>t=UNIX,v1=HEX</c>, each exactly once. Anything else (a repeated key, a timestamp outside the
    /// calendar, a part with no <c>=</c>) is not a signature: null, never an exception.
    /// </summary>
    private static (DateTimeOffset Timestamp, string Signature)? ParseSignature(string header)
    {
        string? t = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                return null;
            }

            switch (pair[0].Trim())
            {
                case "t" when t is null:
                    t = pair[1].Trim();
                    break;
                case "v1" when v1 is null:
                    v1 = pair[1].Trim();
                    break;
                case "t" or "v1":
                    return null; // two timestamps or two signatures: which one was signed is anyone's guess
            }
        }

        if (t is null || v1 is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) ||
            unix > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        return (DateTimeOffset.FromUnixTimeSeconds(unix), v1);
    }

    private readonly ConcurrentDictionary<Guid, SandboxRefund> _refunds = new();

    /// <summary>The refunds the sandbox gateway has made, by top-up id: what a real gateway's dashboard would show.</summary>
    public IReadOnlyDictionary<Guid, SandboxRefund> Refunds => _refunds;

    public Task<ProviderRefund> RefundAsync(Topup topup, string reason, CancellationToken ct)
    {
        // Keyed by top-up, like a real gateway's idempotency key: a repeat returns the first refund.
        var refund = _refunds.GetOrAdd(topup.Id, id => new SandboxRefund($"sbr_{id:N}", topup.ProviderReference, topup.Amount, reason,
            time.GetUtcNow()));
        return Task.FromResult(new ProviderRefund(refund.Reference, refund.Amount));
    }

    public sealed record SandboxRefund(string Reference, string PaymentReference, long Amount, string Reason, DateTimeOffset At);

    private sealed record SandboxEvent(string Reference, string Status, long Amount);
}
