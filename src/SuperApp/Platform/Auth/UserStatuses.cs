using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using SuperApp.Data;
using SuperApp.Features.Users;

namespace SuperApp.Platform.Auth;

/// <summary>What a request's rights depend on, read from the user row rather than trusted from the token.</summary>
public sealed record AccountState(UserStatus Status, Role Role, Tier Tier, DateTime? TokensValidAfter);

/// <summary>
/// Users' account states (null for an unknown id), cached for a few seconds: every authenticated
/// request needs one, and they change rarely. A change is announced through
/// <see cref="AccountChanges"/>, which drops the cached state on this instance at once and, with
/// Redis, on every other instance too; <see cref="CacheFor"/> bounds staleness if a message is lost.
/// </summary>
public sealed class UserStatuses(AppDbContext db, IMemoryCache cache, AccountChanges changes)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    public async ValueTask<UserStatus?> GetAsync(Guid userId, CancellationToken ct) => (await GetStateAsync(userId, ct))?.Status;

    public async ValueTask<AccountState?> GetStateAsync(Guid userId, CancellationToken ct) =>
        cache.TryGetValue(Key(userId), out AccountState? state)
            ? state
            : cache.Set(Key(userId), await db.Users.Where(u => u.Id == userId)
                .Select(u => new AccountState(u.Status, u.Role, u.Tier, u.TokensValidAfter)).FirstOrDefaultAsync(ct), CacheFor);

    /// <summary>Call after changing a user's status, role, tier or sessions, once the change is committed.</summary>
    public Task ForgetAsync(Guid userId) => changes.PublishAsync(userId);

    internal static string Key(Guid userId) => $"account-state:{userId}";
}
