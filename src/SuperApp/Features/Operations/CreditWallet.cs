using SuperApp.Features.Ledger;
using SuperApp.Features.Wallet;
using SuperApp.Platform.Idempotency;

namespace SuperApp.Features.Operations;

public sealed record CreditRequest(
    [property: Range(1, long.MaxValue, ErrorMessage = "The amount must be a positive whole number of minor units.")] long Amount,
    [property: Required, MinLength(3), MaxLength(500)] string Reason);

/// <summary>
/// Admin: money put into a wallet from outside (a goodwill credit, a correction, or funding the
/// smoke and load tests' own accounts without a payment gateway). Ledger kind <c>adjustment</c>
/// from <c>external_funding</c>, bounded like a top-up and by the wallet cap, audited with the reason.
/// </summary>
public static class CreditWallet
{
    public static RouteGroupBuilder MapOperationsAdmin(this RouteGroupBuilder admin)
    {
        admin.MapPost("/wallets/{userId:guid}/credit", Handle).WithName("AdminCreditWallet")
            .WithSummary("Credit a user's wallet from outside funds (audited adjustment)")
            .ProducesProblem(403).ProducesProblem(404).ProducesProblem(422).RequireIdempotency();
        return admin;
    }

    public static async Task<Results<Created<MoneyResponse>, ProblemHttpResult>> Handle(
        Guid userId, CreditRequest request, HttpContext http, AppDbContext db, LedgerPoster ledger,
        IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        // Bounded before any database work, as every money route is.
        var limits = revenue.Value.Limits.Topup;
        if (request.Amount < limits.Min || request.Amount > limits.Max)
        {
            return Problems.Unprocessable("LIMIT_EXCEEDED", "The credit amount is outside the allowed range.",
                $"Credits are {limits.Min} to {limits.Max} ({revenue.Value.Currency} minor units), as top-ups are.");
        }

        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return Problems.NotFound("USER_NOT_FOUND", "No such user.");
        }

        var audit = AuditContext.From(http);
        var now = time.UtcNow();
        var outcome = await db.RunAsync<(PostedTransaction? Posted, CreditRefusal? Refusal)>(async ct =>
        {
            // The same rule a top-up meets, checked under the wallet's lock so it holds at posting time.
            var refusal = await TopupEligibility.CheckAsync(db, userId, request.Amount, revenue.Value.Limits.MaxWalletBalance,
                lockWallet: true, ct);
            if (refusal is not null)
            {
                return (null, refusal);
            }

            var posted = await ledger.PostAsync(
                PostingRequest.Move(TransactionKind.Adjustment, AccountRef.System(AccountKind.ExternalFunding),
                    AccountRef.Wallet(userId), request.Amount) with { Note = request.Reason },
                audit, ct);
            audit.Record(db, "wallet.credit", "wallet", userId.ToString(), null,
                new { amount = request.Amount, reason = request.Reason }, now, posted.Transaction.Id);
            return (posted, null);
        }, ct);

        if (outcome.Refusal is { } r)
        {
            return Problems.Of(r.Status, r.Code, r.Title);
        }

        var tx = outcome.Posted!.Transaction;
        return TypedResults.Created($"/api/admin/transactions/{tx.Id}",
            new MoneyResponse(tx.Id, tx.Amount, tx.Currency, outcome.Posted.BalancesAfter[AccountRef.Wallet(userId)], tx.CreatedAt));
    }
}
