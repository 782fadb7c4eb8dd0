using SuperApp.Features.Ledger;

namespace SuperApp.Features.Wallet;

public sealed record FreezeRequest([property: Required, MinLength(3), MaxLength(500)] string Reason);

public sealed record WalletStatusResponse(Guid UserId, AccountStatus Status, string? Reason);

/// <summary>Admin: a frozen wallet can neither pay nor be paid until unfrozen. Audited with the reason.</summary>
public static class FreezeWallet
{
    public static Task<Results<Ok<WalletStatusResponse>, ProblemHttpResult>> Freeze(
        Guid userId, FreezeRequest request, HttpContext http, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        SetAsync(userId, AccountStatus.Frozen, request.Reason, http, db, time, ct);

    public static Task<Results<Ok<WalletStatusResponse>, ProblemHttpResult>> Unfreeze(
        Guid userId, FreezeRequest request, HttpContext http, AppDbContext db, TimeProvider time, CancellationToken ct) =>
        SetAsync(userId, AccountStatus.Active, request.Reason, http, db, time, ct);

    private static async Task<Results<Ok<WalletStatusResponse>, ProblemHttpResult>> SetAsync(
        Guid userId, AccountStatus status, string reason, HttpContext http, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return Problems.NotFound("USER_NOT_FOUND", "No such user.");
        }

        var now = time.UtcNow();
        await db.RunAsync(async ct =>
        {
            var wallet = await db.Accounts.FirstOrDefaultAsync(a => a.OwnerId == userId && a.Kind == AccountKind.Wallet, ct);
            if (wallet is null)
            {
                // Freezing a wallet that has never held money still has to stop it receiving any.
                wallet = new Account { OwnerId = userId, Kind = AccountKind.Wallet, CreatedAt = now };
                db.Accounts.Add(wallet);
            }

            var before = new { status = EnumText.Name(wallet.Status), reason = wallet.FrozenReason };
            wallet.Status = status;
            wallet.FrozenReason = status == AccountStatus.Frozen ? reason : null;
            wallet.UpdatedAt = now;
            AuditContext.From(http)
                .Record(db, status == AccountStatus.Frozen ? "wallet.freeze" : "wallet.unfreeze", "wallet", userId.ToString(),
                before, new { status = EnumText.Name(status), reason }, now);
            await db.SaveChangesAsync(ct);
            return wallet;
        }, ct);

        return TypedResults.Ok(new WalletStatusResponse(userId, status, status == AccountStatus.Frozen ? reason : null));
    }
}
