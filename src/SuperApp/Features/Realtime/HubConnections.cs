using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using SuperApp.Features.Users;
using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Realtime;

/// <summary>
/// This instance's hub connections by user, so a suspended or deleted account's open connections
/// are closed when its state changes (announced on every instance by <see cref="AccountChanges"/>),
/// not left listening until they reconnect.
/// </summary>
public sealed partial class HubConnections : IHostedService
{
    private readonly ConcurrentDictionary<string, (Guid UserId, HubCallerContext Context)> _byId = new();
    private readonly AccountChanges _changes;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<HubConnections> _logger;

    public HubConnections(AccountChanges changes, IServiceScopeFactory scopes, ILogger<HubConnections> logger)
    {
        (_changes, _scopes, _logger) = (changes, scopes, logger);
    }

    public void Add(Guid userId, HubCallerContext context) => _byId[context.ConnectionId] = (userId, context);

    public bool Remove(string connectionId) => _byId.TryRemove(connectionId, out _);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _changes.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _changes.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(Guid userId)
    {
        var open = _byId.Values.Where(c => c.UserId == userId).Select(c => c.Context).ToList();
        if (open.Count == 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<UserStatuses>().GetAsync(userId,
                    CancellationToken.None) != UserStatus.Active)
                {
                    foreach (var context in open)
                    {
                        context.Abort();
                    }

                    LogClosed(_logger, open.Count, userId);
                }
            }
            catch (Exception e)
            {
                LogCheckFailed(_logger, e, userId);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} hub connections of user {UserId}, no longer active")]
    private static partial void LogClosed(ILogger logger, int count, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check user {UserId}'s state for their hub connections")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, Guid userId);
}
