using SuperApp.Features.Auth;
using SuperApp.Features.Ledger;
using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Users;

public static class DeleteMe
{
    /// <summary>
    /// Erases personal data and ends every session. The row stays, de-identified, because money
    /// records that must be kept by law point at it.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(
        ClaimsPrincipal principal, AppDbContext db, TimeProvider time, UserStatuses statuses, CancellationToken ct)
    {
        var user = await db.Users.FindAsync([principal.UserId()], ct);
        if (user is null)
        {
            return Problems.NotFound();
        }

        var now = time.UtcNow();
        var phone = user.PhoneNumber;
        Erase(user, now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await Refresh.RevokeFamiliesOfUserAsync(db, user.Id, "account-deleted", now, ct);
        await db.OtpChallenges.Where(o => o.PhoneNumber == phone).ExecuteDeleteAsync(ct);
        // Nothing may be credited to a wallet nobody can use any more, even by an instance whose
        // cached status still says active: the ledger refuses postings to frozen accounts.
        await db.Accounts.Where(a => a.OwnerId == user.Id && a.Kind == AccountKind.Wallet)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AccountStatus.Frozen).SetProperty(a => a.FrozenReason,
                "account deleted").SetProperty(a => a.UpdatedAt, now), ct);
        await tx.CommitAsync(ct);
        await statuses.ForgetAsync(user.Id);
        return TypedResults.NoContent();
    }

    public static void Erase(User user, DateTime now)
    {
        var tag = user.Id.ToString("N");
        user.Email = $"deleted-{tag}@deleted.invalid";
        user.Username = $"deleted_{tag}";
        user.PhoneNumber = null;
        user.DisplayName = null;
        user.Bio = null;
        user.PasswordHash = "";
        user.Status = UserStatus.Deleted;
        user.UpdatedAt = now;
    }
}
