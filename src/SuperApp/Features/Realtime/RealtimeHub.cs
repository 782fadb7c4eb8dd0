using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using SuperApp.Features.Chat;
using SuperApp.Features.Gifts;
using SuperApp.Features.Users;
using SuperApp.Features.Users.Access;

namespace SuperApp.Features.Realtime;

public sealed record ResumeResult(long LastSeq, bool Resync);

/// <summary>
/// The one hub (DESIGN §9). Everything the server says goes through the client method
/// <c>event</c>; hub methods answer errors as HubExceptions whose message starts with the same
/// code the REST route would answer (see <see cref="ApiErrorsAsHubErrors"/>).
/// </summary>
[Authorize]
public sealed class RealtimeHub(
    ChatService chat, EventReplay replay, PresenceTracker presence, TypingThrottle typing, LeaderboardWatch leaderboards,
    HubConnections connections, UserStatuses statuses, TimeProvider time) : Hub
{
    public const string Path = "/hubs/realtime";

    private Guid Me => Context.User!.UserId();

    public override async Task OnConnectedAsync()
    {
        // The account check ran at negotiate; this closes the gap to the transport's own request.
        if (await statuses.GetAsync(Me, Context.ConnectionAborted) != UserStatus.Active)
        {
            Context.Abort();
            return;
        }

        connections.Add(Me, Context);
        await presence.ConnectedAsync(Me, Context.ConnectionId);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (connections.Remove(Context.ConnectionId))
        {
            await presence.DisconnectedAsync(Me, Context.ConnectionId);
        }
    }

    /// <summary>Pushes every durable event after <paramref name="afterSeq"/>, in order, then answers where the client stands.</summary>
    public async Task<ResumeResult> Resume(long afterSeq)
    {
        var page = await replay.AfterAsync(Me, Math.Max(afterSeq, 0), null, Context.ConnectionAborted);
        while (true)
        {
            foreach (var e in page.Items)
            {
                await Clients.Caller.SendAsync(RealtimeOutbox.EventMethod, e, Context.ConnectionAborted);
            }

            if (page.Resync || page.Items.Count == 0)
            {
                return new ResumeResult(page.LastSeq, page.Resync);
            }

            var next = await replay.AfterAsync(Me, page.LastSeq, null, Context.ConnectionAborted);
            if (next.Items.Count == 0)
            {
                return new ResumeResult(page.LastSeq, false);
            }

            page = next;
        }
    }

    public async Task<MessageView> SendMessage(Guid conversationId, string clientMessageId, string text) =>
        (await chat.SendAsync(Me, conversationId, clientMessageId, text, Context.ConnectionAborted)).Message;

    public async Task Typing(Guid conversationId)
    {
        var members = await chat.MembersAsync(conversationId, Me, Context.ConnectionAborted);
        if (typing.ShouldSend(Me, conversationId))
        {
            var envelope = RealtimeEnvelope.Ephemeral(TypingThrottle.Type, time.UtcNow(), new Typing(conversationId, Me));
            await Clients.Users(members.Where(m => m != Me).Select(m => m.ToString())).SendAsync(RealtimeOutbox.EventMethod, envelope);
        }
    }

    public Task MarkRead(Guid conversationId, Guid messageId) => chat.MarkReadAsync(Me, conversationId, messageId,
        Context.ConnectionAborted);

    /// <summary>Joins a board's watchers and sends the board as it stands, so the client need not fetch it first.</summary>
    public async Task WatchLeaderboard(string period, string board)
    {
        var (p, b) = Board(period, board);
        await Groups.AddToGroupAsync(Context.ConnectionId, LeaderboardWatch.Group(p, b));
        var current = await leaderboards.ReadAsync(p, b);
        await Clients.Caller.SendAsync(RealtimeOutbox.EventMethod,
            RealtimeEnvelope.Ephemeral(LeaderboardWatch.Type, time.UtcNow(), current));
    }

    public Task UnwatchLeaderboard(string period, string board)
    {
        var (p, b) = Board(period, board);
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, LeaderboardWatch.Group(p, b));
    }

    private static (LeaderboardPeriod, LeaderboardBoard) Board(string period, string board) =>
        EnumText.TryParse(period, out LeaderboardPeriod p) && EnumText.TryParse(board, out LeaderboardBoard b)
            ? (p, b)
            : throw new HubException("VALIDATION_FAILED: period is day, week, month or all; board is receivers or senders.");
}

/// <summary>Turns the REST layer's <see cref="ApiException"/> into a HubException the client sees: "CODE: title".</summary>
public sealed class ApiErrorsAsHubErrors : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiException e)
        {
            throw new HubException($"{e.Code}: {e.Detail ?? e.Title}");
        }
    }
}
