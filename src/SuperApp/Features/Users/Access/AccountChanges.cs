using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

namespace SuperApp.Features.Users.Access;

/// <summary>
/// Tells every instance that a user's account state changed, so a demoted admin or a suspended
/// account loses its rights on the next request wherever it lands. Locally the cached state is
/// dropped at once; with Redis configured the user id is published on a channel every instance
/// listens to. If Redis is unreachable the message is lost and the cache's few seconds apply.
/// </summary>
public sealed partial class AccountChanges(IMemoryCache cache, IConfiguration config, ILogger<AccountChanges> logger,
    IConnectionMultiplexer? redis = null) : IHostedService
{
    private readonly RedisChannel _channel = RedisChannel.Literal((config["REDIS_KEY_PREFIX"] ?? "superapp:") + "account-changed");

    /// <summary>Raised on every instance when a user's state changed (the hub closes a suspended user's connections).</summary>
    public event Action<Guid>? Changed;

    public async Task PublishAsync(Guid userId)
    {
        cache.Remove(UserStatuses.Key(userId));
        Changed?.Invoke(userId);
        if (redis is null)
        {
            return;
        }

        try
        {
            await redis.GetSubscriber().PublishAsync(_channel, userId.ToString());
        }
        catch (RedisException e)
        {
            LogPublishFailed(logger, e);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            return;
        }

        try
        {
            await redis.GetSubscriber().SubscribeAsync(_channel, (_, message) =>
            {
                if (Guid.TryParse(message.ToString(), out var userId))
                {
                    cache.Remove(UserStatuses.Key(userId));
                    Changed?.Invoke(userId);
                }
            });
        }
        catch (RedisException e)
        {
            // The multiplexer re-subscribes on reconnect; until then the short cache applies.
            LogSubscribeFailed(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce an account change through Redis")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not listen for account changes through Redis")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);
}
