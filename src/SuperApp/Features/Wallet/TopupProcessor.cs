using Microsoft.EntityFrameworkCore;
using SuperApp.Data;
using SuperApp.Features.Ledger;
using SuperApp.Platform.Audit;
using SuperApp.Platform.Errors;

namespace SuperApp.Features.Wallet;

/// <summary>
/// Applies a verified payment event to its top-up. The top-up is claimed with a conditional update
/// (pending → succeeded) in the same database transaction as the credit, and the ledger reference
/// <c>topup:{id}</c> is unique, so duplicate or concurrent webhooks credit exactly once.
/// </summary>
public sealed class TopupProcessor(AppDbContext db, LedgerPoster ledger, TimeProvider time)
{
    public async Task<TopupStatus> ApplyAsync(string provider, PaymentEvent e, AuditContext audit, CancellationToken ct)
    {
        var topup = await db.Topups.AsNoTracking().FirstOrDefaultAsync(t => t.Provider == provider && t.ProviderReference == e.Reference, ct)
            ?? throw new ApiException(404, "TOPUP_NOT_FOUND", "No top-up has that payment reference.");
        if (topup.Status != TopupStatus.Pending)
        {
            return topup.Status; // already settled: a repeated notification changes nothing
        }

        if (e.Amount != topup.Amount)
        {
            throw new ApiException(422, "AMOUNT_MISMATCH", "The paid amount differs from the top-up amount.");
        }

        var status = e.Outcome switch
        {
            PaymentOutcome.Succeeded => TopupStatus.Succeeded,
            PaymentOutcome.Failed => TopupStatus.Failed,
            _ => TopupStatus.Cancelled,
        };
        var now = time.GetUtcNow().UtcDateTime;

        return await db.RunAsync(async ct =>
        {
            var claimed = await db.Topups.Where(t => t.Id == topup.Id && t.Status == TopupStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, status).SetProperty(t => t.CompletedAt, now), ct);
            if (claimed == 0)
            {
                return await db.Topups.Where(t => t.Id == topup.Id).Select(t => t.Status).FirstAsync(ct);
            }

            if (status == TopupStatus.Succeeded)
            {
                var posted = await ledger.PostAsync(
                    PostingRequest.Move(TransactionKind.Topup, AccountRef.System(AccountKind.ExternalFunding), AccountRef.Wallet(topup.UserId), topup.Amount)
                        with { Reference = $"topup:{topup.Id}" },
                    audit, ct);
                await db.Topups.Where(t => t.Id == topup.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.TransactionId, posted.Transaction.Id), ct);
            }

            return status;
        }, ct);
    }
}
