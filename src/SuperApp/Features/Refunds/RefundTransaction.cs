using SuperApp.Features.Ledger;

namespace SuperApp.Features.Refunds;

public sealed record RefundRequest([property: Required, MinLength(3), MaxLength(500)] string Reason);

/// <summary>
/// <c>amount</c> went back to the buyer; of the creator's share, <c>fromEarnings</c> came out of their
/// pending earnings, <c>fromCreatorWallet</c> out of their wallet and <c>fromLosses</c> is what the
/// platform bore (<c>refund_losses</c>). The platform fee, the rest of the amount, left platform revenue.
/// </summary>
public sealed record RefundResponse(
    Guid RefundTransactionId, Guid OriginalTransactionId, long Amount, string Currency, long FromEarnings, long FromCreatorWallet,
    long FromLosses, string Reason, DateTime CreatedAt);

/// <summary>
/// Admin: gives a purchase (unlock, gift, subscription charge) back to its buyer, once. The refund's
/// ledger reference <c>refund:{id}</c> is unique, so of two admins at once exactly one refunds and a
/// retry answers 409: idempotent in effect without an idempotency key.
/// </summary>
public static class RefundTransaction
{
    public static async Task<Results<Ok<RefundResponse>, ProblemHttpResult>> Handle(
        Guid id, RefundRequest request, HttpContext http, AppDbContext db, LedgerPoster ledger, IOptions<RevenueOptions> revenue,
        TimeProvider time, CancellationToken ct)
    {
        if (await Purchase.LoadAsync(db, id, ct) is not { } loaded)
        {
            return Problems.NotFound("TRANSACTION_NOT_FOUND", "No such transaction.");
        }

        var (tx, entries) = loaded;
        if (!TransactionKinds.Purchases.Contains(tx.Kind) || Purchase.From(tx, entries.Select(e => e.Entry)) is not { } purchase)
        {
            return Problems.Unprocessable("NOT_REFUNDABLE", $"A {EnumText.Name(tx.Kind)} transaction cannot be refunded.",
                "Only purchases (unlock, gift, subscription) can be refunded.");
        }

        var reference = Purchase.RefundReference(id);
        if (await db.LedgerTransactions.AnyAsync(t => t.Reference == reference, ct))
        {
            return AlreadyRefunded();
        }

        var audit = AuditContext.From(http);
        var now = time.UtcNow();
        try
        {
            var response = await db.RunAsync(
                ct => RefundAsync(db, ledger, purchase, request.Reason, revenue.Value.Currency, audit, now, ct), ct);
            return TypedResults.Ok(response);
        }
        catch (Exception e) when (UniqueViolation.On(e, "ledger_transactions"))
        {
            // Another refund of the same purchase committed between the check and the posting.
            return AlreadyRefunded();
        }
    }

    private static ProblemHttpResult AlreadyRefunded() =>
        Problems.Conflict("ALREADY_REFUNDED", "This purchase has already been refunded.");

    private static async Task<RefundResponse> RefundAsync(
        AppDbContext db, LedgerPoster ledger, Purchase p, string reason, string currency, AuditContext audit, DateTime now,
        CancellationToken ct)
    {
        var tx = p.Transaction;
        var finish = await RefundEffects.BeforePostingAsync(db, tx, now, ct);
        var creatorWallet = p.CreatorId is { } c ? AccountRef.Wallet(c) : null;
        // Every shard of the creator's pending earnings, not only the one this purchase credited.
        List<AccountRef> creatorEarnings = p.CreatorId is { } e
            ? [.. (await CreatorShardsAsync(db, e, ct)).Select(shard => AccountRef.Earnings(e, shard))]
            : [];
        var losses = AccountRef.System(AccountKind.RefundLosses);
        var locked = await RefundLocks.TakeAsync(db,
            [AccountRef.Wallet(p.BuyerId), .. p.OtherCredits.Select(o => o.Account), losses, creatorWallet, .. creatorEarnings], ct);

        // Holding the locks, a refund that committed meanwhile is visible: answer as the first check would.
        if (await db.LedgerTransactions.AnyAsync(t => t.Reference == Purchase.RefundReference(tx.Id), ct))
        {
            throw new ApiException(409, "ALREADY_REFUNDED", "This purchase has already been refunded.");
        }

        // The creator's share comes back from what their accounts hold now (locked, so no settlement or
        // purchase can move it meanwhile), pending earnings first, then the wallet; a frozen account is
        // never debited. What they cannot cover the platform bears on refund_losses, which may go negative.
        var fromEarnings = Math.Min(p.CreatorShare, creatorEarnings.Sum(a => Available(locked, a)));
        var fromWallet = Math.Min(p.CreatorShare - fromEarnings, Available(locked, creatorWallet));
        var fromLosses = p.CreatorShare - fromEarnings - fromWallet;

        var postings = new List<Posting> { new(AccountRef.Wallet(p.BuyerId), tx.Amount) };
        postings.AddRange(p.OtherCredits.Select(o => o with { Amount = -o.Amount }));
        postings.AddRange(EarningsShards.Debits(creatorEarnings.Select(a => (a, Available(locked, a))), fromEarnings));

        postings.Add(new Posting(creatorWallet ?? losses, -fromWallet));
        postings.Add(new Posting(losses, -fromLosses));
        var request = new PostingRequest(TransactionKind.Refund, tx.Amount, Net(postings))
        {
            Reference = Purchase.RefundReference(tx.Id),
            Note = $"Refund of {EnumText.Name(tx.Kind)}",
            // A freeze stops money leaving, not coming back, and the money was in this wallet before the
            // purchase: the buyer is repaid into a frozen or full wallet alike.
            ReturnsFunds = true,
        };
        var posted = await ledger.PostAsync(request, audit, ct);
        if (finish is not null)
        {
            await finish(ct);
        }

        var refundId = posted.Transaction.Id;
        audit.Record(db, "ledger.refund_purchase", "ledger_transaction", tx.Id.ToString(),
            before: new { kind = EnumText.Name(tx.Kind), tx.Amount, refunded = false },
            after: new
            {
                refunded = true, refundTransactionId = refundId, reason, fromEarnings, fromCreatorWallet = fromWallet, fromLosses,
            },
            now, refundId);
        return new RefundResponse(
            refundId, tx.Id, tx.Amount, currency, fromEarnings, fromWallet, fromLosses, reason, posted.Transaction.CreatedAt);
    }

    private static Task<List<int>> CreatorShardsAsync(AppDbContext db, Guid creatorId, CancellationToken ct) =>
        db.Accounts.Where(a => a.OwnerId == creatorId && a.Kind == AccountKind.EarningsPending).OrderBy(a => a.Shard).Select(a => a.Shard)
            .ToListAsync(ct);

    private static long Available(IReadOnlyDictionary<AccountRef, RefundLocks.Locked> locked, AccountRef? account) =>
        account is not null && locked.TryGetValue(account, out var row) && row.Status == "active" ? Math.Max(row.Balance, 0) : 0;

    /// <summary>One posting per account, zeros dropped: the ledger wants distinct accounts and no zero entries.</summary>
    private static List<Posting> Net(IEnumerable<Posting> postings) =>
        postings.GroupBy(x => x.Account).Select(g => new Posting(g.Key, g.Sum(x => x.Amount))).Where(x => x.Amount != 0).ToList();
}
