using SuperApp.Features.Users;

namespace SuperApp.Features.Admin;

public static class ListUsers
{
    /// <summary>Newest first; <c>search</c> matches the start of email, username or phone.</summary>
    public static async Task<Results<Ok<Page<UserProfile>>, ProblemHttpResult>> Handle(
        AppDbContext db, string? search, string? role, string? status, int? limit, string? cursor, CancellationToken ct)
    {
        if (!Cursor.TryDecode(cursor, out var after))
        {
            return Problems.Validation("cursor", "The cursor is not valid.");
        }

        if (!EnumText.TryParseOptional<Role>(role, out var roleFilter))
        {
            return Problems.Validation("role", "The role is one of user, creator, admin.");
        }

        if (!EnumText.TryParseOptional<UserStatus>(status, out var statusFilter))
        {
            return Problems.Validation("status", "The status is one of active, suspended, deleted.");
        }

        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLowerInvariant();
            query = query.Where(u => u.Email.StartsWith(s) || u.Username.StartsWith(s)
                || (u.PhoneNumber != null && u.PhoneNumber.StartsWith(s)));
        }

        if (roleFilter is { } r)
        {
            query = query.Where(u => u.Role == r);
        }

        if (statusFilter is { } st)
        {
            query = query.Where(u => u.Status == st);
        }

        return TypedResults.Ok(await query.ToPageAsync(after, limit, UserProfile.From, ct));
    }

}
