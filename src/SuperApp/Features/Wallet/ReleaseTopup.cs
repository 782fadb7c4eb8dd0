using SuperApp.Features.Ledger;
using SuperApp.Features.Realtime;

namespace SuperApp.Features.Wallet;

public sealed record ResolveTopupRequest([property: Required, MinLength(3), MaxLength(500)] string Reason);

/// <summary>
/// Admin: moves a held top-up's money from suspense to its wallet once the wallet can take it. The
/// held → succeeded update is conditional and in the same database transaction as the posting, so
/// two admins (or a release racing a refund) resolve it once. Audited with the reason.
/// </summary>
public static class ReleaseTopup
{
    public static async Task<Results<Ok<TopupDetails>, ProblemHttpResult>> Handle(
        Guid id, ResolveTopupRequest request, HttpContext http, AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue,
        TimeProvider time, RealtimeOutbox outbox, CancellationToken ct)
    {
        var topup = await db.Topups.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (topup is null)
        {
            return Problems.NotFound("TOPUP_NOT_FOUND", "No such top-up.");
        }

        if (topup.Status != TopupStatus.Held)
        {
            return NotHeld(topup.Status);
        }

        var audit = AuditContext.From(http);
        var now = time.UtcNow();
        var outcome = await db.RunAsync<(bool Released, CreditRefusal? Refusal)>(async ct =>
        {
            // The same rule as at payment time: the money stays in suspense until the wallet can take it.
            var refusal = await TopupEligibility.CheckAsync(db, topup.UserId, topup.Amount, revenue.Value.Limits.MaxWalletBalance,
                lockWallet: true, ct);
            if (refusal is not null)
            {
                return (Released: false, Refusal: refusal);
            }

            var claimed = await db.Topups.Where(t => t.Id == id && t.Status == TopupStatus.Held)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopupStatus.Succeeded).SetProperty(t => t.ResolvedBy, audit.ActorId)
                    .SetProperty(t => t.ResolvedAt, now).SetProperty(t => t.ResolutionNote, request.Reason), ct);
            if (claimed == 0)
            {
                return (Released: false, Refusal: null);
            }

            var suspense = await SystemAccounts.CreditedByAsync(db, topup.TransactionId, AccountKind.Suspense, ct);
            var posted = await ledger.PostAsync(
                PostingRequest.Move(TransactionKind.TopupRelease, suspense, AccountRef.Wallet(topup.UserId),
                        topup.Amount)
                    with { Reference = $"topup:{id}:release", Note = "Held top-up released" },
                audit, ct);
            outbox.Stage(db, topup.UserId, WalletEvents.TopupSucceeded, new TopupSucceeded(id, topup.Amount, "succeeded"));
            audit.Record(db, "topup.release", "topup", id.ToString(), new { status = "held", reason = topup.HeldReason },
                new { status = EnumText.Name(TopupStatus.Succeeded), reason = request.Reason }, now, posted.Transaction.Id);
            return (Released: true, Refusal: null);
        }, ct);

        if (outcome.Refusal is { } r)
        {
            return Problems.Of(r.Status, r.Code, r.Title,
                "The money stays in suspense; release it once the wallet can take it, or refund it.");
        }

        var current = await db.Topups.AsNoTracking().FirstAsync(t => t.Id == id, ct);
        return outcome.Released ? TypedResults.Ok(TopupDetails.From(current, revenue.Value.Currency)) : NotHeld(current.Status);
    }

    internal static ProblemHttpResult NotHeld(TopupStatus status) =>
        Problems.Of(StatusCodes.Status409Conflict, "TOPUP_NOT_HELD", "Only a held top-up can be released or refunded.",
            $"The top-up is {EnumText.Name(status)}.");
}
