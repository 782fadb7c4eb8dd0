namespace SuperApp.Features.Wallet;

public sealed record WebhookResponse(bool Received, TopupStatus Status);

public static class PaymentWebhook
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>The signature covers the raw bytes, so the body is read as-is, never re-serialised.</summary>
    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Handle(
        string provider, HttpContext http, IEnumerable<IPaymentProvider> providers, TopupProcessor processor, CancellationToken ct)
    {
        var gateway = providers.FirstOrDefault(p => p.Name == provider);
        if (gateway is null)
        {
            return Problems.NotFound("PROVIDER_NOT_FOUND", "Unknown payment provider.");
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBodyBytes)
        {
            return Problems.Of(413, "PAYLOAD_TOO_LARGE", "The webhook body is too large.");
        }

        return await ProcessAsync(gateway, http.Request.Headers, buffer.ToArray(), processor, AuditContext.From(http), ct);
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> ProcessAsync(
        IPaymentProvider gateway, IHeaderDictionary headers, byte[] body, TopupProcessor processor, AuditContext audit,
            CancellationToken ct)
    {
        PaymentEvent? e;
        try
        {
            e = gateway.Verify(headers, body);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or ArgumentException)
        {
            e = null; // a gateway's parser that throws on a malformed webhook must still answer 401, not 500
        }

        if (e is null)
        {
            processor.Observed(gateway.Name, "invalid_signature");
            return Problems.Unauthorized("INVALID_SIGNATURE", "The webhook signature or timestamp is not valid.");
        }

        TopupStatus status;
        try
        {
            status = await processor.ApplyAsync(gateway.Name, e, audit, ct);
        }
        catch (ApiException refused)
        {
            processor.Observed(gateway.Name, refused.Code.ToLowerInvariant());
            throw;
        }

        processor.Observed(gateway.Name, EnumText.Name(status));
        return TypedResults.Ok(new WebhookResponse(true, status));
    }
}
