using SuperApp.Features.Ledger;
using SuperApp.Features.Realtime;
using SuperApp.Platform.Observability;

namespace SuperApp.Features.Wallet;

/// <summary>
/// Applies a verified payment event to its top-up. Each change is a conditional update of the
/// top-up's status in the same database transaction as its posting, and every posting has a unique
/// ledger reference (<c>topup:{id}</c>, <c>topup:{id}:chargeback</c>), so duplicate or concurrent
/// webhooks move money exactly once. Money the provider reports paid is never left unaccounted:
/// credited to the wallet when it can take it, otherwise held in suspense (DESIGN §3.1).
/// </summary>
public sealed class TopupProcessor(
    AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue, TimeProvider time, RealtimeOutbox outbox, AppMetrics metrics)
{
    /// <summary>Counts a webhook's outcome (<c>superapp_webhooks_total</c>): the status it left, or why it was refused.</summary>
    public void Observed(string provider, string outcome) => metrics.Webhook(provider, outcome);

    public async Task<TopupStatus> ApplyAsync(string provider, PaymentEvent e, AuditContext audit, CancellationToken ct)
    {
        var topup = await db.Topups.AsNoTracking()
            .FirstOrDefaultAsync(t => t.Provider == provider && t.ProviderReference == e.Reference, ct)
            ?? throw new ApiException(404, "TOPUP_NOT_FOUND", "No top-up has that payment reference.");

        var applies = e.Outcome switch
        {
            // A "paid" after we recorded failed or cancelled still means the provider has the money,
            // so it is taken too (and held for an admin, see PaidAsync) rather than ignored.
            PaymentOutcome.Succeeded => topup.Status is TopupStatus.Pending or TopupStatus.Failed or TopupStatus.Cancelled,
            PaymentOutcome.Failed or PaymentOutcome.Cancelled => topup.Status == TopupStatus.Pending,
            // Refunded money has already gone back; a chargeback on top cannot take it twice.
            PaymentOutcome.ChargedBack => topup.Status is TopupStatus.Succeeded or TopupStatus.Held or TopupStatus.Refunding,
            _ => false,
        };
        if (!applies)
        {
            return topup.Status; // already settled: a repeated or out-of-order notification changes nothing
        }

        if (e.Amount != topup.Amount)
        {
            throw new ApiException(422, "AMOUNT_MISMATCH", "The paid amount differs from the top-up amount.");
        }

        return e.Outcome switch
        {
            PaymentOutcome.Succeeded => await PaidAsync(topup, audit, ct),
            PaymentOutcome.ChargedBack => await ChargebackAsync(topup, audit, ct),
            _ => await CloseAsync(topup, e.Outcome == PaymentOutcome.Failed ? TopupStatus.Failed : TopupStatus.Cancelled, ct),
        };
    }

    private async Task<TopupStatus> CloseAsync(Topup topup, TopupStatus status, CancellationToken ct)
    {
        var now = time.UtcNow();
        await db.Topups.Where(t => t.Id == topup.Id && t.Status == TopupStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status).SetProperty(t => t.CompletedAt, now), ct);
        return await StatusAsync(topup.Id, ct);
    }

    /// <summary>
    /// Credits the wallet, or, when it can no longer take the money (frozen, account not active, over
    /// the balance cap), moves it to suspense and marks the top-up held with the refusal code. A
    /// "paid" for a top-up already failed or cancelled is held too: the user was told it did not go
    /// through, so an admin decides whether to release or refund it instead of it appearing unasked.
    /// </summary>
    private async Task<TopupStatus> PaidAsync(Topup topup, AuditContext audit, CancellationToken ct)
    {
        var now = time.UtcNow();
        return await db.RunAsync(async ct =>
        {
            var refusal = await TopupEligibility.CheckAsync(db, topup.UserId, topup.Amount, revenue.Value.Limits.MaxWalletBalance,
                lockWallet: true, ct);
            var reason = topup.Status switch
            {
                TopupStatus.Failed => "PAID_AFTER_FAILED",
                TopupStatus.Cancelled => "PAID_AFTER_CANCELLED",
                _ => refusal?.Code,
            };
            var status = reason is null ? TopupStatus.Succeeded : TopupStatus.Held;

            var claimed = await db.Topups.Where(t => t.Id == topup.Id && t.Status == topup.Status)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status).SetProperty(t => t.CompletedAt, now)
                    .SetProperty(t => t.HeldReason, reason), ct);
            if (claimed == 0)
            {
                return await StatusAsync(topup.Id, ct); // another delivery of this event got there first
            }

            var to = status == TopupStatus.Succeeded ? AccountRef.Wallet(topup.UserId) : AccountRef.System(AccountKind.Suspense);
            var posted = await ledger.PostAsync(
                PostingRequest.Move(TransactionKind.Topup, AccountRef.System(AccountKind.ExternalFunding), to, topup.Amount)
                    with { Reference = $"topup:{topup.Id}", Note = reason is null ? null : $"Held in suspense: {reason}" },
                audit, ct);
            await db.Topups.Where(t => t.Id == topup.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.TransactionId, posted.Transaction.Id), ct);
            if (status == TopupStatus.Succeeded)
            {
                outbox.Stage(db, topup.UserId, WalletEvents.TopupSucceeded, new TopupSucceeded(topup.Id, topup.Amount, "succeeded"));
            }

            if (status == TopupStatus.Held)
            {
                audit.Record(db, "topup.hold", "topup", topup.Id.ToString(), new { status = EnumText.Name(topup.Status) },
                    new { status = EnumText.Name(status), reason }, now, posted.Transaction.Id);
            }

            return status;
        }, ct);
    }

    /// <summary>
    /// The provider took the money back. From a succeeded top-up: out of the wallet as far as its
    /// balance goes, the rest is the platform's loss (chargeback_losses), frozen wallet or not, since a
    /// freeze stops the holder moving money, not the provider reclaiming it. From a held one: straight
    /// out of suspense, as the wallet never had it.
    /// </summary>
    private async Task<TopupStatus> ChargebackAsync(Topup topup, AuditContext audit, CancellationToken ct)
    {
        var now = time.UtcNow();
        return await db.RunAsync(async ct =>
        {
            // Lock the wallet first so the balance read below is the one the debit applies to. The status is read
            // again under that lock: a release of a held top-up (which takes the same lock) may have committed since
            // the first read, and the money the provider takes back is then in the wallet, not in suspense.
            await TopupEligibility.LockWalletAsync(db, topup.UserId, ct);
            var current = await db.Topups.AsNoTracking().Where(t => t.Id == topup.Id)
                .Select(t => new { t.Status, t.TransactionId }).FirstAsync(ct);
            var was = current.Status;
            if (was is not (TopupStatus.Succeeded or TopupStatus.Held or TopupStatus.Refunding))
            {
                return was; // charged back or refunded meanwhile: the money has already gone back
            }

            var claimed = await db.Topups.Where(t => t.Id == topup.Id && t.Status == was)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TopupStatus.ChargedBack), ct);
            if (claimed == 0)
            {
                // Changed by a path that does not take the wallet's lock (a refund starting): run again on what it left.
                throw new UnitOfWork.RetryException($"Top-up {topup.Id} changed while its chargeback was applied.");
            }

            var funding = new Posting(AccountRef.System(AccountKind.ExternalFunding), topup.Amount);
            List<Posting> postings;
            long fromWallet = 0;
            if (was is TopupStatus.Held or TopupStatus.Refunding)
            {
                var suspense = await SystemAccounts.CreditedByAsync(db, current.TransactionId, AccountKind.Suspense, ct);
                postings = [new Posting(suspense, -topup.Amount), funding];
            }
            else
            {
                var balance = await db.Accounts.Where(a => a.OwnerId == topup.UserId && a.Kind == AccountKind.Wallet)
                    .Select(a => (long?)a.Balance).FirstOrDefaultAsync(ct) ?? 0;
                fromWallet = Math.Min(Math.Max(balance, 0), topup.Amount);
                postings = [funding];
                if (fromWallet > 0)
                {
                    postings.Add(new Posting(AccountRef.Wallet(topup.UserId), -fromWallet));
                }

                if (topup.Amount - fromWallet > 0)
                {
                    postings.Add(new Posting(AccountRef.System(AccountKind.ChargebackLosses), -(topup.Amount - fromWallet)));
                }
            }

            var posted = await ledger.PostAsync(
                new PostingRequest(TransactionKind.Chargeback, topup.Amount, postings)
                {
                    Reference = $"topup:{topup.Id}:chargeback",
                    Note = "Provider chargeback",
                    BypassFreeze = true,
                },
                audit, ct);
            audit.Record(db, "topup.chargeback", "topup", topup.Id.ToString(), new { status = EnumText.Name(was) },
                new
                {
                    status = EnumText.Name(TopupStatus.ChargedBack),
                    fromWallet,
                    loss = was is TopupStatus.Held or TopupStatus.Refunding ? 0 : topup.Amount - fromWallet,
                },
                now, posted.Transaction.Id);
            return TopupStatus.ChargedBack;
        }, ct);
    }

    private Task<TopupStatus> StatusAsync(Guid id, CancellationToken ct) =>
        db.Topups.Where(t => t.Id == id).Select(t => t.Status).FirstAsync(ct);
}
