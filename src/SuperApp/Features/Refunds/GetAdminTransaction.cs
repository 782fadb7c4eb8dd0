using SuperApp.Features.Ledger;

namespace SuperApp.Features.Refunds;

/// <summary>One side of a transaction: <c>ownerId</c> is the all-zero id for the platform's own accounts.</summary>
public sealed record AdminEntry(Guid AccountId, Guid OwnerId, AccountKind AccountKind, long Amount, long BalanceAfter);

/// <summary>
/// A ledger transaction as an admin sees it. For a purchase, <c>refundable</c> says whether it can
/// still be refunded and <c>refundTransactionId</c> names the refund once there is one; for a refund,
/// <c>refundOf</c> names the purchase it gave back.
/// </summary>
public sealed record AdminTransactionResponse(
    Guid Id, TransactionKind Kind, long Amount, string Currency, string? Reference, string? Note, Guid? ActorId, string? RequestId,
    DateTime CreatedAt, IReadOnlyList<AdminEntry> Entries, bool Refundable, Guid? RefundTransactionId, Guid? RefundOf);

public static class GetAdminTransaction
{
    public static async Task<Results<Ok<AdminTransactionResponse>, ProblemHttpResult>> Handle(
        Guid id, AppDbContext db, CancellationToken ct)
    {
        if (await Purchase.LoadAsync(db, id, ct) is not { } loaded)
        {
            return Problems.NotFound("TRANSACTION_NOT_FOUND", "No such transaction.");
        }

        var (tx, entries) = loaded;
        var reference = Purchase.RefundReference(id);
        var refundId = await db.LedgerTransactions.Where(t => t.Reference == reference).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        var isPurchase = TransactionKinds.Purchases.Contains(tx.Kind) && Purchase.From(tx, entries.Select(e => e.Entry)) is not null;
        Guid? refundOf = tx.Kind == TransactionKind.Refund && tx.Reference is { } r && r.StartsWith("refund:", StringComparison.Ordinal) &&
                         Guid.TryParse(r.AsSpan("refund:".Length), out var original)
            ? original
            : null;
        return TypedResults.Ok(new AdminTransactionResponse(
            tx.Id, tx.Kind, tx.Amount, tx.Currency, tx.Reference, tx.Note, tx.ActorId, tx.RequestId, tx.CreatedAt,
            entries.Select(e => new AdminEntry(
                e.Row.AccountId, e.Entry.Account.OwnerId, e.Entry.Account.Kind, e.Entry.Amount, e.Row.BalanceAfter)).ToList(),
            isPurchase && refundId is null, refundId, refundOf));
    }
}
