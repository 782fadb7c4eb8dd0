using System.Collections.Concurrent;

namespace SuperApp.Features.Realtime;

public sealed record Typing(Guid ConversationId, Guid UserId);

/// <summary>Drops a user's repeated typing signals in one conversation within <see cref="RealtimeOptions.TypingInterval"/>.</summary>
public sealed class TypingThrottle(IOptions<RealtimeOptions> options, TimeProvider time)
{
    public const string Type = "typing";

    private readonly ConcurrentDictionary<(Guid, Guid), DateTimeOffset> _last = new();

    public bool ShouldSend(Guid userId, Guid conversationId)
    {
        var now = time.GetUtcNow();
        var key = (userId, conversationId);
        var sent = false;
        _last.AddOrUpdate(key, _ => { sent = true; return now; }, (_, last) =>
        {
            sent = now - last >= options.Value.TypingInterval;
            return sent ? now : last;
        });
        if (_last.Count > 100_000)
        {
            // Old entries only matter for one interval; trim rather than grow without bound.
            foreach (var stale in _last.Where(p => now - p.Value > options.Value.TypingInterval).Select(p => p.Key).ToList())
            {
                _last.TryRemove(stale, out _);
            }
        }

        return sent;
    }
}
