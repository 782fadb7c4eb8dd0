using SuperApp.Features.Ledger;
using SuperApp.Features.Users;
using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Wallet;

public sealed record TransferRequest(
    [property: Required] Guid? ToUserId,
    [property: Range(1, long.MaxValue, ErrorMessage = "The amount must be a positive whole number of minor units.")] long Amount,
    [property: MaxLength(200)] string? Note);

public sealed record MoneyResponse(Guid TransactionId, long Amount, string Currency, long Balance, DateTime CreatedAt);

public static class Transfer
{
    public static async Task<Results<Created<MoneyResponse>, ProblemHttpResult>> Handle(
        TransferRequest request, ClaimsPrincipal principal, HttpContext http, UserStatuses statuses, LedgerPoster ledger, AppDbContext db,
        IOptions<RevenueOptions> revenue, CancellationToken ct)
    {
        // Bounded before any database work: an amount near long.MaxValue would overflow a balance.
        var limits = revenue.Value.Limits.Transfer;
        if (request.Amount < limits.Min || request.Amount > limits.Max)
        {
            return Problems.Unprocessable("LIMIT_EXCEEDED", "The transfer amount is outside the allowed range.",
                $"Transfers are {limits.Min} to {limits.Max} ({revenue.Value.Currency} minor units).");
        }

        var from = principal.UserId();
        var to = request.ToUserId!.Value;
        if (to == from)
        {
            return Problems.Unprocessable("SELF_TRANSFER", "You cannot transfer money to yourself.");
        }

        if (await statuses.GetAsync(to, ct) != UserStatus.Active)
        {
            return Problems.NotFound("RECIPIENT_NOT_FOUND", "The recipient does not exist.");
        }

        var posting = PostingRequest.Move(TransactionKind.Transfer, AccountRef.Wallet(from), AccountRef.Wallet(to), request.Amount)
            with { Note = request.Note };
        PostedTransaction posted;
        try
        {
            posted = await db.RunAsync(ct => ledger.PostAsync(posting, AuditContext.From(http), ct), ct);
        }
        catch (ApiException e) when (e.Code == "WALLET_FROZEN")
        {
            // The status above may come from another instance's cache; a deleted account's wallet is
            // frozen, so that case ends here. Rethrown, never swallowed: the transaction must roll back.
            if (await db.Users.AnyAsync(u => u.Id == to && u.Status == UserStatus.Deleted, ct))
            {
                throw new ApiException(404, "RECIPIENT_NOT_FOUND", "The recipient does not exist.");
            }

            throw;
        }

        var tx = posted.Transaction;
        return TypedResults.Created($"/api/wallet/transactions/{tx.Id}",
            new MoneyResponse(tx.Id, tx.Amount, tx.Currency, posted.BalancesAfter[AccountRef.Wallet(from)], tx.CreatedAt));
    }
}
