using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SuperApp.Data;
using SuperApp.Features.Users;
using SuperApp.Platform.Errors;
using SuperApp.Platform.Http;

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

        if (!TryParseFilter<Role>(role, out var roleFilter))
        {
            return Problems.Validation("role", "The role is one of user, creator, admin.");
        }

        if (!TryParseFilter<UserStatus>(status, out var statusFilter))
        {
            return Problems.Validation("status", "The status is one of active, suspended, deleted.");
        }

        var take = Cursor.Clamp(limit);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLowerInvariant();
            query = query.Where(u => u.Email.StartsWith(s) || u.Username.StartsWith(s) || (u.PhoneNumber != null && u.PhoneNumber.StartsWith(s)));
        }

        if (roleFilter is { } r)
        {
            query = query.Where(u => u.Role == r);
        }

        if (statusFilter is { } st)
        {
            query = query.Where(u => u.Status == st);
        }

        if (after is { } a)
        {
            query = query.Where(u => u.Id.CompareTo(a) < 0);
        }

        var rows = await query.OrderByDescending(u => u.Id).Take(take + 1).ToListAsync(ct);
        var items = rows.Take(take).Select(UserProfile.From).ToList();
        return TypedResults.Ok(new Page<UserProfile>(items, rows.Count > take ? Cursor.Encode(items[^1].Id) : null));
    }

    // Filters take the names responses show ("creator"); enum binding would accept only "Creator" (or "1").
    private static bool TryParseFilter<T>(string? value, out T? result) where T : struct, Enum
    {
        result = Enum.GetValues<T>().Select(v => (T?)v)
            .FirstOrDefault(v => string.Equals(v.ToString(), value, StringComparison.OrdinalIgnoreCase));
        return result is not null || string.IsNullOrEmpty(value);
    }
}
