using SuperApp.Features.Ledger;
using SuperApp.Features.Users;
using SuperApp.Features.Realtime;

namespace SuperApp.Features.Wallet;

public sealed record RejectWithdrawalRequest([property: Required, MaxLength(500)] string Reason);

/// <summary>
/// Admin approve / reject. The decision is a conditional update (pending → decided) in the same
/// database transaction as its postings, so two admins clicking together decide it once.
/// </summary>
public static class DecideWithdrawal
{
    public static Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> Approve(
        Guid id, HttpContext http, AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue, TimeProvider time,
        RealtimeOutbox outbox, CancellationToken ct) =>
        DecideAsync(id, WithdrawalStatus.Approved, null, http, db, ledger, revenue.Value, time, outbox, ct);

    public static Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> Reject(
        Guid id, RejectWithdrawalRequest request, HttpContext http, AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue,
        TimeProvider time, RealtimeOutbox outbox, CancellationToken ct) =>
        DecideAsync(id, WithdrawalStatus.Rejected, request.Reason, http, db, ledger, revenue.Value, time, outbox, ct);

    private static async Task<Results<Ok<WithdrawalResponse>, ProblemHttpResult>> DecideAsync(
        Guid id, WithdrawalStatus decision, string? reason, HttpContext http, AppDbContext db, LedgerPoster ledger,
        RevenueOptions revenue, TimeProvider time, RealtimeOutbox outbox, CancellationToken ct)
    {
        var audit = AuditContext.From(http);
        var now = time.UtcNow();
        var pending = db.Withdrawals.Where(w => w.Id == id && w.Status == WithdrawalStatus.Pending);
        if (decision == WithdrawalStatus.Approved)
        {
            if (await PayoutRefusalAsync(db, id, audit.ActorId, ct) is { } refusal)
            {
                return refusal;
            }

            // Checked again in the claim itself: a freeze or suspension committed before it stops the
            // payout; one committed after it is ordered after the payout, so there is one outcome.
            pending = pending.Where(w =>
                db.Users.Any(u => u.Id == w.UserId && u.Status == UserStatus.Active) &&
                !db.Accounts.Any(a => a.OwnerId == w.UserId && a.Kind == AccountKind.Wallet && a.Status == AccountStatus.Frozen));
        }

        var decided = await db.RunAsync(async ct =>
        {
            var claimed = await pending
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, decision).SetProperty(w => w.DecidedAt, now)
                    .SetProperty(w => w.DecidedBy, audit.ActorId).SetProperty(w => w.RejectReason, reason), ct);
            if (claimed == 0)
            {
                return false;
            }

            var w = await db.Withdrawals.AsNoTracking().FirstAsync(x => x.Id == id, ct);
            var hold = await SystemAccounts.CreditedByAsync(db, w.HoldTransactionId, AccountKind.WithdrawalHold, ct);
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
                // A freeze stops money leaving, not coming back: the reserved funds return to a frozen wallet too.
                posted = await ledger.PostAsync(
                    PostingRequest.Move(TransactionKind.WithdrawalReversal, hold, AccountRef.Wallet(w.UserId), w.Amount)
                        with { Reference = $"withdrawal:{w.Id}:reversal", Note = reason, ReturnsFunds = true }, audit, ct);
            }

            await db.Withdrawals.Where(x => x.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.DecisionTransactionId, posted.Transaction.Id), ct);
            outbox.Stage(db, w.UserId, WalletEvents.WithdrawalDecided,
                new WithdrawalDecided(w.Id, w.Amount, w.Fee, w.NetAmount, EnumText.Name(decision)));
            return true;
        }, ct);

        var withdrawal = await db.Withdrawals.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, ct);
        if (withdrawal is null)
        {
            return Problems.NotFound("WITHDRAWAL_NOT_FOUND", "No such withdrawal.");
        }

        if (decided)
        {
            return TypedResults.Ok(WithdrawalResponse.From(withdrawal, revenue.Currency));
        }

        // Still pending: the owner was frozen or suspended between the check and the claim.
        return withdrawal.Status == WithdrawalStatus.Pending
            ? await PayoutRefusalAsync(db, id, audit.ActorId, ct)
                ?? Problems.Conflict("WITHDRAWAL_CHANGED", "The withdrawal changed; try again.")
            : Problems.Conflict("WITHDRAWAL_ALREADY_DECIDED", $"The withdrawal was already {EnumText.Name(withdrawal.Status)}.");
    }

    /// <summary>Why a payout may not go out now: an admin's own withdrawal, a frozen wallet or an account not active.</summary>
    private static async Task<ProblemHttpResult?> PayoutRefusalAsync(AppDbContext db, Guid id, Guid? approver, CancellationToken ct)
    {
        var owner = await db.Withdrawals.Where(w => w.Id == id).Select(w => new
        {
            w.UserId,
            w.Status,
            UserStatus = db.Users.Where(u => u.Id == w.UserId).Select(u => (UserStatus?)u.Status).FirstOrDefault(),
            Frozen = db.Accounts.Any(a => a.OwnerId == w.UserId && a.Kind == AccountKind.Wallet && a.Status == AccountStatus.Frozen),
        }).FirstOrDefaultAsync(ct);
        return owner switch
        {
            null => Problems.NotFound("WITHDRAWAL_NOT_FOUND", "No such withdrawal."),
            { Status: not WithdrawalStatus.Pending } => null, // the claim answers "already decided"
            _ when owner.UserId == approver => Problems.Forbidden("SELF_APPROVAL", "An admin cannot approve their own withdrawal."),
            { Frozen: true } => Problems.Forbidden("WALLET_FROZEN", "The wallet is frozen; its withdrawals cannot be paid out.",
                "Reject the withdrawal to return the funds, or unfreeze the wallet first."),
            { UserStatus: not UserStatus.Active } => Problems.Forbidden("ACCOUNT_SUSPENDED",
                "The account is not active; its withdrawals cannot be paid out.", "Reject the withdrawal to return the funds."),
            _ => null,
        };
    }
}
