using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SuperApp.Features.Wallet;

/// <summary>
/// A stand-in gateway for development and tests that behaves like a real one: webhooks carry
/// <c>X-Sandbox-Signature: t=UNIX,v1=HEX</c>, an HMAC-SHA256 of <c>"{t}.{body}"</c> with the shared
/// secret, and are refused outside the timestamp tolerance.
/// </summary>
public sealed class SandboxPaymentProvider(IOptions<PaymentsOptions> options, TimeProvider time) : IPaymentProvider
{
    public const string SignatureHeader = "X-Sandbox-Signature";

    public string Name => "sandbox";

    public Checkout CreateCheckout(Topup topup, string baseUrl) =>
        new($"sbx_{topup.Id:N}", $"{baseUrl}/api/payments/sandbox/{topup.Id}/pay");

    public PaymentEvent? Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        var parts = headers[SignatureHeader].ToString().Split(',')
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, CultureInfo.InvariantCulture, out var unix) ||
            !parts.TryGetValue("v1", out var given))
        {
            return null;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(unix);
        if (age.Duration() > options.Value.WebhookTolerance)
        {
            return null;
        }

        var expected = Sign(unix, body);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant())))
        {
            return null;
        }

        var doc = JsonSerializer.Deserialize<SandboxEvent>(body, JsonSerializerOptions.Web);
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
        _ => null,
    };

    private sealed record SandboxEvent(string Reference, string Status, long Amount);
}
