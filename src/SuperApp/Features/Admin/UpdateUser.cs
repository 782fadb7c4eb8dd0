using SuperApp.Features.Auth;
using SuperApp.Features.Users;
using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Admin;

// EnumDataType refuses names JSON would combine into an undefined value ("creator, admin").
public sealed record UpdateUserRequest(
    [property: EnumDataType(typeof(Role))] Role? Role,
    [property: EnumDataType(typeof(Tier))] Tier? Tier,
    [property: EnumDataType(typeof(UserStatus))] UserStatus? Status);

public static class UpdateUser
{
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> Handle(
        Guid id, UpdateUserRequest request, HttpContext http, AppDbContext db, TimeProvider time, UserStatuses statuses,
            CancellationToken ct)
    {
        var user = await db.Users.FindAsync([id], ct);
        if (user is null || user.Status == UserStatus.Deleted)
        {
            return Problems.NotFound("USER_NOT_FOUND", "No such user.");
        }

        if (request.Status == UserStatus.Deleted)
        {
            return Problems.Validation("status", "Accounts are deleted by their owner; suspend instead.");
        }

        var before = Snapshot(user);
        if (request.Role is { } role)
        {
            user.SetRole(role);
        }

        if (request.Tier is { } tier && !user.TrySetTier(tier))
        {
            return Problems.Unprocessable("TIER_FOLLOWS_ROLE",
                "Only plain users have a free or premium tier; creators and admins have their role's tier.");
        }

        var now = time.UtcNow();
        if (request.Status is { } status && status != user.Status)
        {
            user.Status = status;
            if (status == UserStatus.Suspended)
            {
                await Refresh.RevokeFamiliesOfUserAsync(db, user.Id, "account-suspended", now, ct);
            }
        }

        user.UpdatedAt = now;
        var after = Snapshot(user);
        if (after != before)
        {
            // Privileged changes are on the record with who made them and in which request.
            AuditContext.From(http).Record(db, "user.access_changed", "user", user.Id.ToString(), before, after, now);
        }

        await db.SaveChangesAsync(ct);
        await statuses.ForgetAsync(user.Id);
        return TypedResults.Ok(UserProfile.From(user));
    }

    private static AccessSnapshot Snapshot(User u) => new(EnumText.Name(u.Role), EnumText.Name(u.Tier), EnumText.Name(u.Status));

    private sealed record AccessSnapshot(string Role, string Tier, string Status);
}
