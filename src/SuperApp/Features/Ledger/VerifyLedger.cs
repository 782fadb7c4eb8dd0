namespace SuperApp.Features.Ledger;

public static class VerifyLedger
{
    /// <summary>Admin HTTP twin of <c>superapp ledger verify</c>.</summary>
    public static async Task<Ok<LedgerReport>> Handle(AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await LedgerVerifier.VerifyAsync(db, ct));

    /// <summary>Prints the report; exit code 1 when any invariant is broken.</summary>
    public static async Task<int> RunCommandAsync(AppDbContext db)
    {
        var r = await LedgerVerifier.VerifyAsync(db, CancellationToken.None);
        Console.WriteLine($"transactions: {r.Transactions}, accounts: {r.Accounts}, sum of balances: {r.BalanceTotal}");
        Console.WriteLine($"unbalanced transactions: {r.UnbalancedTransactions.Count}  {string.Join(' ', r.UnbalancedTransactions)}");
        Console.WriteLine($"accounts not matching entries: {r.AccountsNotMatchingEntries.Count}  " +
            string.Join(' ', r.AccountsNotMatchingEntries));
        Console.WriteLine($"negative wallets: {r.NegativeWallets.Count}  {string.Join(' ', r.NegativeWallets)}");
        Console.WriteLine($"suspense balance: {r.SuspenseBalance}, held top-ups: {r.HeldTopupsTotal}" +
            (r.SuspenseBalance == r.HeldTopupsTotal ? "" : "  MISMATCH"));
        Console.WriteLine($"paid top-ups not settled: {r.PaidTopupsNotSettled.Count}  {string.Join(' ', r.PaidTopupsNotSettled)}");
        Console.WriteLine(r.Ok ? "ledger OK" : "LEDGER INVARIANTS VIOLATED");
        return r.Ok ? 0 : 1;
    }
}
