using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Audit;
using SuperApp.Platform.Errors;

namespace SuperApp.Features.Wallet;

public sealed record TopupRefundResponse(TopupDetails Topup, string ProviderRefundReference);

/// <summary>
/// Admin: sends a held top-up's money back to the payer through its provider and takes it out of
/// suspense. Conditional held → refunded update, provider call and posting in one database
/// transaction, so only the admin who wins the update asks the provider. Audited with the reason.
/// </summary>
public static partial class RefundTopup
{
    public static async Task<Results<Ok<TopupRefundResponse>, ProblemHttpResult>> Handle(
        Guid id, ResolveTopupRequest request, HttpContext http, AppDbContext db, LedgerPoster ledger,
        IEnumerable<IPaymentProvider> providers,
        IOptions<RevenueOptions> revenue, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var topup = await db.Topups.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (topup is null)
        {
            return Problems.NotFound("TOPUP_NOT_FOUND", "No such top-up.");
        }

        if (topup.Status != TopupStatus.Held)
        {
            return ReleaseTopup.NotHeld(topup.Status);
        }

        var gateway = providers.FirstOrDefault(p => p.Name == topup.Provider);
        if (gateway is null)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "PROVIDER_UNAVAILABLE",
                "The top-up's payment provider is not configured.");
        }

        var audit = AuditContext.From(http);
        var now = time.GetUtcNow().UtcDateTime;
        var refund = await db.RunAsync<ProviderRefund?>(async ct =>
        {
            var claimed = await db.Topups.Where(t => t.Id == id && t.Status == TopupStatus.Held)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopupStatus.Refunded).SetProperty(t => t.ResolvedBy, audit.ActorId)
                    .SetProperty(t => t.ResolvedAt, now).SetProperty(t => t.ResolutionNote, request.Reason), ct);
            if (claimed == 0)
            {
                return null;
            }

            // Asked inside the transaction, after winning the claim: if the provider fails, the top-up
            // stays held with its money in suspense. Providers key refunds by top-up, so a retried
            // unit of work (or a commit lost after the call) gets the same refund, never a second one.
            ProviderRefund given;
            try
            {
                given = await gateway.RefundAsync(topup, request.Reason, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException)
            {
                RefundFailed(logs.CreateLogger(typeof(RefundTopup)), e, topup.Provider, id);
                throw new ApiException(502, "PROVIDER_REFUND_FAILED",
                    "The payment provider did not accept the refund; the top-up is still held.");
            }

            var posted = await ledger.PostAsync(
                PostingRequest.Move(TransactionKind.TopupRefund, AccountRef.System(AccountKind.Suspense),
                    AccountRef.System(AccountKind.ExternalFunding), topup.Amount)
                    with { Reference = $"topup:{id}:refund", Note = $"Provider refund {given.Reference}" },
                audit, ct);
            audit.Record(db, "topup.refund", "topup", id.ToString(), new { status = "held", reason = topup.HeldReason },
                new { status = EnumText.Name(TopupStatus.Refunded), reason = request.Reason, providerRefund = given.Reference },
                now, posted.Transaction.Id);
            return given;
        }, ct);

        var current = await db.Topups.AsNoTracking().FirstAsync(t => t.Id == id, ct);
        return refund is null
            ? ReleaseTopup.NotHeld(current.Status)
            : TypedResults.Ok(new TopupRefundResponse(TopupDetails.From(current, revenue.Value.Currency), refund.Reference));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} did not accept the refund of top-up {TopupId}")]
    private static partial void RefundFailed(ILogger logger, Exception e, string provider, Guid topupId);
}
