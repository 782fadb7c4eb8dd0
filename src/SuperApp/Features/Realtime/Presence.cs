using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;
using SuperApp.Features.Chat;

namespace SuperApp.Features.Realtime;

public sealed record PresenceView(bool Online, DateTime? LastSeenAt);

public sealed record PresenceChanged(Guid UserId, bool Online);

/// <summary>Where connections are counted: in this process, or in Redis so every instance sees the same.</summary>
public interface IPresenceStore
{
    /// <summary>Adds a connection and answers how many the user has now.</summary>
    Task<long> AddAsync(Guid userId, string connectionId);

    Task<long> RemoveAsync(Guid userId, string connectionId, DateTime lastSeen);

    Task<(long Connections, DateTime? LastSeen)> GetAsync(Guid userId);

    /// <summary>Keeps this instance's connections alive in a shared store (they expire if the instance dies).</summary>
    Task RefreshAsync(IReadOnlyCollection<(Guid UserId, string ConnectionId)> connections);
}

public sealed class MemoryPresenceStore : IPresenceStore
{
    private readonly ConcurrentDictionary<Guid, HashSet<string>> _connections = new();
    private readonly ConcurrentDictionary<Guid, DateTime> _lastSeen = new();

    public Task<long> AddAsync(Guid userId, string connectionId)
    {
        var set = _connections.GetOrAdd(userId, _ => []);
        lock (set)
        {
            set.Add(connectionId);
            return Task.FromResult((long)set.Count);
        }
    }

    public Task<long> RemoveAsync(Guid userId, string connectionId, DateTime lastSeen)
    {
        _lastSeen[userId] = lastSeen;
        var set = _connections.GetOrAdd(userId, _ => []);
        lock (set)
        {
            set.Remove(connectionId);
            return Task.FromResult((long)set.Count);
        }
    }

    public Task<(long Connections, DateTime? LastSeen)> GetAsync(Guid userId)
    {
        long count = 0;
        if (_connections.TryGetValue(userId, out var set))
        {
            lock (set)
            {
                count = set.Count;
            }
        }

        return Task.FromResult((count, _lastSeen.TryGetValue(userId, out var seen) ? (DateTime?)seen : null));
    }

    public Task RefreshAsync(IReadOnlyCollection<(Guid UserId, string ConnectionId)> connections) => Task.CompletedTask;
}

/// <summary>
/// A sorted set per user, member = connection id, score = when it expires unless refreshed: an
/// instance that dies stops refreshing and its connections drop out within <see cref="Ttl"/>.
/// </summary>
public sealed class RedisPresenceStore(IConnectionMultiplexer redis, IConfiguration config, TimeProvider time) : IPresenceStore
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(90);
    private readonly string _prefix = (config["REDIS_KEY_PREFIX"] is { Length: > 0 } p ? p : "superapp:") + "presence:";

    private RedisKey Connections(Guid userId) => _prefix + userId.ToString("N");

    private RedisKey LastSeen(Guid userId) => _prefix + "seen:" + userId.ToString("N");

    public async Task<long> AddAsync(Guid userId, string connectionId)
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SortedSetAddAsync(Connections(userId), connectionId, now + Ttl.TotalMilliseconds);
        await db.KeyExpireAsync(Connections(userId), Ttl);
        return await CountAsync(db, userId, now);
    }

    public async Task<long> RemoveAsync(Guid userId, string connectionId, DateTime lastSeen)
    {
        var db = redis.GetDatabase();
        await db.StringSetAsync(LastSeen(userId), lastSeen.Ticks, TimeSpan.FromDays(30));
        await db.SortedSetRemoveAsync(Connections(userId), connectionId);
        return await CountAsync(db, userId, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public async Task<(long Connections, DateTime? LastSeen)> GetAsync(Guid userId)
    {
        var db = redis.GetDatabase();
        var count = await CountAsync(db, userId, time.GetUtcNow().ToUnixTimeMilliseconds());
        var seen = await db.StringGetAsync(LastSeen(userId));
        return (count, seen.TryParse(out long ticks) ? new DateTime(ticks, DateTimeKind.Utc) : null);
    }

    public async Task RefreshAsync(IReadOnlyCollection<(Guid UserId, string ConnectionId)> connections)
    {
        var db = redis.GetDatabase();
        var until = time.GetUtcNow().ToUnixTimeMilliseconds() + Ttl.TotalMilliseconds;
        foreach (var (userId, connectionId) in connections)
        {
            await db.SortedSetAddAsync(Connections(userId), connectionId, until);
            await db.KeyExpireAsync(Connections(userId), Ttl);
        }
    }

    private Task<long> CountAsync(IDatabase db, Guid userId, long now) =>
        db.SortedSetLengthAsync(Connections(userId), now, double.PositiveInfinity);
}

/// <summary>
/// Who is online. A user goes offline only when their last connection has been gone for
/// <see cref="RealtimeOptions.PresenceGrace"/>, so a page reload does not flap; changes are sent
/// as ephemeral <c>presence.changed</c> to the members of the user's conversations.
/// </summary>
public sealed partial class PresenceTracker(
    IPresenceStore store, IServiceScopeFactory scopes, IHubContext<RealtimeHub> hub, IOptions<RealtimeOptions> options,
    TimeProvider time, ILogger<PresenceTracker> logger) : BackgroundService
{
    public const string Type = "presence.changed";

    private readonly ConcurrentDictionary<string, Guid> _local = new();

    public async Task ConnectedAsync(Guid userId, string connectionId)
    {
        _local[connectionId] = userId;
        var count = await store.AddAsync(userId, connectionId);
        var (_, lastSeen) = await store.GetAsync(userId);
        // Within the grace period no offline was announced, so no online is due either.
        if (count == 1 && (lastSeen is null || time.UtcNow() - lastSeen >= options.Value.PresenceGrace))
        {
            await AnnounceAsync(userId, online: true);
        }
    }

    public async Task DisconnectedAsync(Guid userId, string connectionId)
    {
        _local.TryRemove(connectionId, out _);
        var left = time.UtcNow();
        var count = await store.RemoveAsync(userId, connectionId, left);
        if (count > 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                // Timers may fire a tick early: wait until GetAsync would also answer offline, so the announcement
                // never arrives before the view agrees with it.
                var due = left + options.Value.PresenceGrace;
                for (var now = time.UtcNow(); now < due; now = time.UtcNow())
                {
                    await Task.Delay(due - now, time);
                }

                if ((await store.GetAsync(userId)).Connections == 0)
                {
                    await AnnounceAsync(userId, online: false);
                }
            }
            catch (Exception e)
            {
                LogPresenceFailed(logger, e, userId);
            }
        });
    }

    public async Task<PresenceView> GetAsync(Guid userId)
    {
        var (connections, lastSeen) = await store.GetAsync(userId);
        var online = connections > 0 || (lastSeen is { } seen && time.UtcNow() - seen < options.Value.PresenceGrace);
        return new PresenceView(online, lastSeen);
    }

    private async Task AnnounceAsync(Guid userId, bool online)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var mine = db.Set<ConversationMember>().Where(m => m.UserId == userId).Select(m => m.ConversationId);
        var others = await db.Set<ConversationMember>().Where(m => mine.Contains(m.ConversationId) && m.UserId != userId)
            .Select(m => m.UserId).Distinct().ToListAsync();
        if (others.Count > 0)
        {
            var envelope = RealtimeEnvelope.Ephemeral(Type, time.UtcNow(), new PresenceChanged(userId, online));
            await hub.Clients.Users(others.Select(o => o.ToString())).SendAsync(RealtimeOutbox.EventMethod, envelope);
        }
    }

    /// <summary>Refreshes this instance's connections in a shared store well before they expire.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RedisPresenceStore.Ttl / 3, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await store.RefreshAsync(_local.Select(p => (p.Value, p.Key)).ToList());
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRefreshFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence of user {UserId} could not be updated")]
    private static partial void LogPresenceFailed(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence refresh failed; connections may expire from other instances' view")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
