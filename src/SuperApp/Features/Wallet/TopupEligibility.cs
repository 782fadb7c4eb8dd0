using SuperApp.Features.Ledger;
using SuperApp.Features.Users;

namespace SuperApp.Features.Wallet;

/// <summary>Why a wallet cannot take a top-up's money: the same codes the rest of the service refuses with.</summary>
public sealed record CreditRefusal(int Status, string Code, string Title);

/// <summary>
/// The one rule for "can this wallet be credited this amount now", asked when a top-up is created,
/// when its payment arrives and when an admin releases a held one, so all three agree.
/// </summary>
public static class TopupEligibility
{
    /// <summary>
    /// Null when the credit can go through. With <paramref name="lockWallet"/> (inside a money
    /// transaction) the wallet row is locked first, so a freeze or another credit cannot slip in
    /// between this check and the posting that follows it.
    /// </summary>
    public static async Task<CreditRefusal?> CheckAsync(
        AppDbContext db, Guid userId, long amount, long maxBalance, bool lockWallet, CancellationToken ct)
    {
        if (lockWallet)
        {
            await LockWalletAsync(db, userId, ct);
        }

        var user = await db.Users.Where(u => u.Id == userId).Select(u => (UserStatus?)u.Status).FirstOrDefaultAsync(ct);
        if (user is UserStatus.Suspended)
        {
            return new CreditRefusal(403, "ACCOUNT_SUSPENDED", "The account is suspended.");
        }

        if (user is not UserStatus.Active)
        {
            return new CreditRefusal(403, "ACCOUNT_NOT_FOUND", "The account no longer exists.");
        }

        var wallet = await db.Accounts.Where(a => a.OwnerId == userId && a.Kind == AccountKind.Wallet)
            .Select(a => new { a.Status, a.Balance }).FirstOrDefaultAsync(ct);
        if (wallet?.Status == AccountStatus.Frozen)
        {
            return new CreditRefusal(403, "WALLET_FROZEN", "The wallet is frozen.");
        }

        // Written as a subtraction so a huge amount cannot overflow the sum.
        if (amount > maxBalance - (wallet?.Balance ?? 0))
        {
            return new CreditRefusal(422, "LIMIT_EXCEEDED", "This would take the wallet over its maximum balance.");
        }

        return null;
    }

    /// <summary>
    /// Takes the wallet's row lock until the money transaction ends (a no-op update: the row lock on
    /// PostgreSQL, the write lock on SQLite), so what is read about it next is what the posting meets.
    /// No-op for a wallet not created yet; the posting that needs one creates it.
    /// </summary>
    public static Task<int> LockWalletAsync(AppDbContext db, Guid userId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"UPDATE accounts SET balance = balance WHERE owner_id = {userId} AND kind = 'wallet'", ct);
}
