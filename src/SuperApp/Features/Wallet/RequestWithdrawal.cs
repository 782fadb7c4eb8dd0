using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public sealed record BankAccount(
    [property: Required, MaxLength(100)] string BankName,
    [property: Required, RegularExpression("^[0-9]{5,34}$", ErrorMessage = "Account numbers are 5-34 digits.")] string AccountNumber,
    [property: Required, MaxLength(100)] string AccountName);

public sealed record WithdrawRequest(
    [property: Range(1, long.MaxValue, ErrorMessage = "The amount must be a positive whole number of minor units.")] long Amount,
    [property: Required] BankAccount? BankAccount);

public static class RequestWithdrawal
{
    public static async Task<Results<Accepted<WithdrawalResponse>, ProblemHttpResult>> Handle(
        WithdrawRequest request, ClaimsPrincipal principal, HttpContext http, AppDbContext db, LedgerPoster ledger,
        IOptions<RevenueOptions> revenue, TimeProvider time, CancellationToken ct)
    {
        var o = revenue.Value;
        if (request.Amount < o.Limits.Withdrawal.Min || request.Amount > o.Limits.Withdrawal.Max)
        {
            return Problems.Unprocessable("LIMIT_EXCEEDED", "The withdrawal amount is outside the allowed range.",
                $"Withdrawals are {o.Limits.Withdrawal.Min} to {o.Limits.Withdrawal.Max} ({o.Currency} minor units).");
        }

        var userId = principal.UserId();
        var fee = Money.WithdrawalFee(request.Amount, o.WithdrawalFee);
        var bank = request.BankAccount!;
        var withdrawal = new Withdrawal
        {
            UserId = userId,
            Amount = request.Amount,
            Fee = fee,
            NetAmount = request.Amount - fee,
            BankName = bank.BankName.Trim(),
            AccountNumber = bank.AccountNumber,
            AccountName = bank.AccountName.Trim(),
            CreatedAt = time.UtcNow(),
        };

        await db.RunAsync(async ct =>
        {
            var hold = await ledger.PostAsync(
                PostingRequest.Move(TransactionKind.Withdrawal, AccountRef.Wallet(userId), AccountRef.System(AccountKind.WithdrawalHold),
                    request.Amount)
                    with { Reference = $"withdrawal:{withdrawal.Id}", Note = "Withdrawal requested; funds held" },
                AuditContext.From(http), ct);
            withdrawal.HoldTransactionId = hold.Transaction.Id;
            db.Withdrawals.Add(withdrawal);
            await db.SaveChangesAsync(ct);
            return hold;
        }, ct);

        return TypedResults.Accepted($"/api/wallet/withdrawals/{withdrawal.Id}", WithdrawalResponse.From(withdrawal, o.Currency));
    }
}
