using Microsoft.Extensions.Caching.Memory;

namespace SuperApp.Features.Users.Access;

/// <summary>
/// What a request's rights depend on, read from the user row rather than trusted from the token.
/// <c>EndedSessions</c>: sessions (refresh-token families) ended recently enough that access tokens
/// issued to them may still be unexpired; a token naming one of them is refused.
/// </summary>
public sealed record AccountState(UserStatus Status, Role Role, Tier Tier, DateTime? TokensValidAfter)
{
    public IReadOnlySet<Guid> EndedSessions { get; init; } = new HashSet<Guid>();
}

/// <summary>
/// Users' account states (null for an unknown id), cached for a few seconds: every authenticated
/// request needs one, and they change rarely. A change is announced through
/// <see cref="AccountChanges"/>, which drops the cached state on this instance at once and, with
/// Redis, on every other instance too; <see cref="CacheFor"/> bounds staleness if a message is lost.
/// </summary>
public sealed class UserStatuses(
    AppDbContext db, IMemoryCache cache, AccountChanges changes, TimeProvider time, IOptions<JwtOptions> jwt)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private static readonly string[] EndingReasons = ["session-revoked", "logout", "reuse-detected"];

    public async ValueTask<UserStatus?> GetAsync(Guid userId, CancellationToken ct) => (await GetStateAsync(userId, ct))?.Status;

    public async ValueTask<AccountState?> GetStateAsync(Guid userId, CancellationToken ct) =>
        cache.TryGetValue(Key(userId), out AccountState? state) ? state : cache.Set(Key(userId), await LoadAsync(userId, ct), CacheFor);

    private async Task<AccountState?> LoadAsync(Guid userId, CancellationToken ct)
    {
        var state = await db.Users.Where(u => u.Id == userId)
            .Select(u => new AccountState(u.Status, u.Role, u.Tier, u.TokensValidAfter)).FirstOrDefaultAsync(ct);
        if (state is null)
        {
            return null;
        }

        // A session ended on purpose (revoked by its owner, logged out, or its refresh token seen twice)
        // takes its access tokens, at most one lifetime old, with it. Suspension and password change
        // have their own checks above; a rotation only replaces a token of a session that goes on.
        var since = time.UtcNow() - jwt.Value.AccessTokenLifetime;
        var ended = await db.RefreshTokens
            .Where(t => t.UserId == userId && t.RevokedAt > since && EndingReasons.Contains(t.RevokedReason!))
            .Select(t => t.FamilyId).Distinct().ToListAsync(ct);
        return state with { EndedSessions = ended.ToHashSet() };
    }

    /// <summary>Call after changing a user's status, role, tier or sessions, once the change is committed.</summary>
    public Task ForgetAsync(Guid userId) => changes.PublishAsync(userId);

    internal static string Key(Guid userId) => $"account-state:{userId}";
}
