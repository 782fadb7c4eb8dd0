using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public sealed record TopupRefundResponse(TopupDetails Topup, string ProviderRefundReference);

/// <summary>
/// Admin: sends a held top-up's money back to the payer through its provider and takes it out of
/// suspense, in three steps so a lost answer can never pay twice. (1) held → refunding, committed on
/// its own: from then on it cannot be released. (2) The provider is asked outside any transaction;
/// providers key refunds by top-up, so asking again gets the same refund. (3) refunding → refunded
/// with the suspense posting, in one transaction. A clear refusal puts it back to held; an unknown
/// outcome (a timeout) leaves it refunding until the refund is asked again. Audited with the reason.
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

        if (topup.Status is not (TopupStatus.Held or TopupStatus.Refunding))
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
        var now = time.UtcNow();
        // (1) A refund still in doubt is asked again as it is; a held one is marked first.
        var marked = await db.Topups.Where(t => t.Id == id && (t.Status == TopupStatus.Held || t.Status == TopupStatus.Refunding))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopupStatus.Refunding).SetProperty(t => t.ResolvedBy, audit.ActorId)
                .SetProperty(t => t.ResolvedAt, now).SetProperty(t => t.ResolutionNote, request.Reason), ct);
        if (marked == 0)
        {
            return ReleaseTopup.NotHeld((await db.Topups.AsNoTracking().FirstAsync(t => t.Id == id, ct)).Status);
        }

        // (2) Outside any transaction: nothing here can roll back what the provider did.
        ProviderRefund given;
        try
        {
            given = await gateway.RefundAsync(topup, request.Reason, ct);
        }
        catch (InvalidOperationException e)
        {
            // The provider said no: nothing went out, so the money is held again.
            RefundFailed(logs.CreateLogger(typeof(RefundTopup)), e, topup.Provider, id);
            await db.Topups.Where(t => t.Id == id && t.Status == TopupStatus.Refunding)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopupStatus.Held), ct);
            return Problems.Of(StatusCodes.Status502BadGateway, "PROVIDER_REFUND_FAILED",
                "The payment provider refused the refund; the top-up is held again.");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException)
        {
            RefundFailed(logs.CreateLogger(typeof(RefundTopup)), e, topup.Provider, id);
            return Problems.Of(StatusCodes.Status502BadGateway, "PROVIDER_REFUND_FAILED",
                "The payment provider did not answer; the refund may have gone out.",
                "The top-up stays refunding and cannot be released. Ask for the refund again to settle it.");
        }

        // (3) The money leaves suspense with the provider's refund on record.
        var settled = await db.RunAsync(async ct =>
        {
            var claimed = await db.Topups.Where(t => t.Id == id && t.Status == TopupStatus.Refunding)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopupStatus.Refunded), ct);
            if (claimed == 0)
            {
                return false; // another request settled it (or a chargeback took it) meanwhile
            }

            var suspense = await SystemAccounts.CreditedByAsync(db, topup.TransactionId, AccountKind.Suspense, ct);
            var posted = await ledger.PostAsync(
                PostingRequest.Move(TransactionKind.TopupRefund, suspense,
                    AccountRef.System(AccountKind.ExternalFunding), topup.Amount)
                    with { Reference = $"topup:{id}:refund", Note = $"Provider refund {given.Reference}" },
                audit, ct);
            audit.Record(db, "topup.refund", "topup", id.ToString(), new { status = "held", reason = topup.HeldReason },
                new { status = EnumText.Name(TopupStatus.Refunded), reason = request.Reason, providerRefund = given.Reference },
                now, posted.Transaction.Id);
            return true;
        }, ct);

        var current = await db.Topups.AsNoTracking().FirstAsync(t => t.Id == id, ct);
        return settled
            ? TypedResults.Ok(new TopupRefundResponse(TopupDetails.From(current, revenue.Value.Currency), given.Reference))
            : ReleaseTopup.NotHeld(current.Status);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} did not settle the refund of top-up {TopupId}")]
    private static partial void RefundFailed(ILogger logger, Exception e, string provider, Guid topupId);
}
