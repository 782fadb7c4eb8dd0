using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Audit;
using SuperApp.Platform.Errors;

namespace SuperApp.Features.Wallet;

public sealed record RejectWithdrawalRequest([property: Required, MaxLength(500)] string Reason);

/// <summary>
/// Admin approve / reject. The decision is a conditional update (pending → decided) in the same
/// database transaction as its postings, so two admins clicking together decide it once.
/// </summary>
public static class DecideWithdrawal
{
    public static Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> Approve(
        Guid id, HttpContext http, AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, WithdrawalStatus.Approved, null, http, db, ledger, revenue.Value, time, ct);

    public static Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> Reject(
        Guid id, RejectWithdrawalRequest request, HttpContext http, AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue,
        TimeProvider time, CancellationToken ct) =>
        DecideAsync(id, WithdrawalStatus.Rejected, request.Reason, http, db, ledger, revenue.Value, time, ct);

    private static async Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> DecideAsync(
        Guid id, WithdrawalStatus decision, string? reason, HttpContext http, AppDbContext db, LedgerPoster ledger,
        RevenueOptions revenue, TimeProvider time, CancellationToken ct)
    {
        var audit = AuditContext.From(http);
        var now = time.GetUtcNow().UtcDateTime;
        var decided = await db.RunAsync(async ct =>
        {
            var claimed = await db.Withdrawals.Where(w => w.Id == id && w.Status == WithdrawalStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, decision).SetProperty(w => w.DecidedAt, now)
                    .SetProperty(w => w.DecidedBy, audit.ActorId).SetProperty(w => w.RejectReason, reason), ct);
            if (claimed == 0)
            {
                return false;
            }

            var w = await db.Withdrawals.AsNoTracking().FirstAsync(x => x.Id == id, ct);
            var hold = AccountRef.System(AccountKind.WithdrawalHold);
            PostedTransaction posted;
            if (decision == WithdrawalStatus.Approved)
            {
                posted = await ledger.PostAsync(
                    PostingRequest.Move(TransactionKind.Withdrawal, hold, AccountRef.System(AccountKind.ExternalPayouts), w.NetAmount)
                        with { Reference = $"withdrawal:{w.Id}:payout" }, audit, ct);
                if (w.Fee > 0)
                {
                    await ledger.PostAsync(
                        PostingRequest.Move(TransactionKind.WithdrawalFee, hold, AccountRef.System(AccountKind.PlatformRevenue), w.Fee)
                            with { Reference = $"withdrawal:{w.Id}:fee" }, audit, ct);
                }
            }
            else
            {
                posted = await ledger.PostAsync(
                    PostingRequest.Move(TransactionKind.WithdrawalReversal, hold, AccountRef.Wallet(w.UserId), w.Amount)
                        with { Reference = $"withdrawal:{w.Id}:reversal", Note = reason }, audit, ct);
            }

            await db.Withdrawals.Where(x => x.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.DecisionTransactionId, posted.Transaction.Id), ct);
            return true;
        }, ct);

        var withdrawal = await db.Withdrawals.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct);
        if (withdrawal is null)
        {
            return Problems.NotFound("WITHDRAWAL_NOT_FOUND", "No such withdrawal.");
        }

        return decided
            ? TypedResults.Ok(WithdrawalResponse.From(withdrawal, revenue.Currency))
            : Problems.Conflict("WITHDRAWAL_ALREADY_DECIDED", $"The withdrawal was already {EnumText.Name(withdrawal.Status)}.");
    }
}
