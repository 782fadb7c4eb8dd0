using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SuperApp.Data;
using SuperApp.Features.Users;

namespace SuperApp.Platform.Auth;

/// <summary>
/// Users' statuses (null for an unknown id), cached for a few seconds: every authenticated request
/// and every transfer recipient needs one, and a status changes rarely. Changes made through this
/// instance are seen at once (<see cref="Forget"/>); other instances see them within
/// <see cref="CacheFor"/>.
/// </summary>
public sealed class UserStatuses(AppDbContext db, IMemoryCache cache)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    public async ValueTask<UserStatus?> GetAsync(Guid userId, CancellationToken ct) =>
        cache.TryGetValue(Key(userId), out UserStatus? status)
            ? status
            : cache.Set(Key(userId), await db.Users.Where(u => u.Id == userId).Select(u => (UserStatus?)u.Status).FirstOrDefaultAsync(ct), CacheFor);

    public void Forget(Guid userId) => cache.Remove(Key(userId));

    private static string Key(Guid userId) => $"user-status:{userId}";
}
