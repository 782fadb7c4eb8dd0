namespace SuperApp.Features.Wallet;

public static class SandboxPay
{
    /// <summary>
    /// Development only: plays the sandbox gateway paying the caller's top-up, sending a correctly
    /// signed webhook through the same verification and crediting path as the real one.
    /// </summary>
    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Handle(
        Guid topupId, ClaimsPrincipal principal, HttpContext http, AppDbContext db, SandboxPaymentProvider sandbox,
        TopupProcessor processor, CancellationToken ct)
    {
        var userId = principal.UserId();
        var topup = await db.Topups.AsNoTracking()
            .FirstOrDefaultAsync(t => t.Id == topupId && t.UserId == userId && t.Provider == sandbox.Name, ct);
        if (topup is null)
        {
            return Problems.NotFound("TOPUP_NOT_FOUND", "No such sandbox top-up.");
        }

        var (body, signature) = sandbox.BuildWebhook(topup.ProviderReference, "paid", topup.Amount);
        var headers = new HeaderDictionary { [SandboxPaymentProvider.SignatureHeader] = signature };
        return await PaymentWebhook.ProcessAsync(sandbox, headers, body, processor, AuditContext.From(http), ct);
    }
}
