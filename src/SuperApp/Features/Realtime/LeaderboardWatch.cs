using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using SuperApp.Features.Gifts;

namespace SuperApp.Features.Realtime;

public sealed record LeaderboardChanged(LeaderboardPeriod Period, LeaderboardBoard Board, IReadOnlyList<LeaderboardItem> Items);

/// <summary>
/// Sends <c>leaderboard.changed</c> to the connections watching a board (a SignalR group) at most
/// once per <see cref="RealtimeOptions.LeaderboardInterval"/> per board: a gift storm coalesces
/// into one update a second carrying the board as it stands then.
/// </summary>
public sealed partial class LeaderboardWatch(
    IHubContext<RealtimeHub> hub, IServiceScopeFactory scopes, IOptions<RealtimeOptions> options, TimeProvider time,
    ILogger<LeaderboardWatch> logger)
{
    public const string Type = "leaderboard.changed";

    private readonly ConcurrentDictionary<(LeaderboardPeriod, LeaderboardBoard), Board> _boards = new();

    public static string Group(LeaderboardPeriod period,
        LeaderboardBoard board) => $"leaderboard:{EnumText.Name(period)}:{EnumText.Name(board)}";

    /// <summary>Every board changed (a gift counts on all periods and both boards).</summary>
    public void GiftRecorded()
    {
        foreach (var period in Enum.GetValues<LeaderboardPeriod>())
        {
            foreach (var board in Enum.GetValues<LeaderboardBoard>())
            {
                Changed(period, board);
            }
        }
    }

    public void Changed(LeaderboardPeriod period, LeaderboardBoard board)
    {
        var state = _boards.GetOrAdd((period, board), _ => new Board());
        lock (state)
        {
            if (state.Scheduled)
            {
                return; // the send already scheduled will carry this change too
            }

            state.Scheduled = true;
            var wait = state.LastSent + options.Value.LeaderboardInterval - time.GetUtcNow();
            _ = SendLaterAsync(period, board, state, wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        }
    }

    public async Task<LeaderboardChanged> ReadAsync(LeaderboardPeriod period, LeaderboardBoard board)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var start = GiftLeaderboard.PeriodStart(period, time.UtcNow());
        var rows = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            GetLeaderboard.Top(db, period, start, board, GetLeaderboard.DefaultLimit));
        var items = new List<LeaderboardItem>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var rank = i > 0 && rows[i].Total == rows[i - 1].Total ? items[i - 1].Rank : i + 1;
            items.Add(new LeaderboardItem(rank, rows[i].User, rows[i].Total, rows[i].GiftCount));
        }

        return new LeaderboardChanged(period, board, items);
    }

    private async Task SendLaterAsync(LeaderboardPeriod period, LeaderboardBoard board, Board state, TimeSpan wait)
    {
        try
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time);
            }
            else
            {
                await Task.Yield();
            }

            lock (state)
            {
                state.Scheduled = false;
                state.LastSent = time.GetUtcNow();
            }

            var changed = await ReadAsync(period, board);
            await hub.Clients.Group(Group(period, board))
                .SendAsync(RealtimeOutbox.EventMethod, RealtimeEnvelope.Ephemeral(Type, time.UtcNow(), changed));
        }
        catch (Exception e)
        {
            lock (state)
            {
                state.Scheduled = false;
            }

            LogSendFailed(logger, e);
        }
    }

    private sealed class Board
    {
        public bool Scheduled { get; set; }
        public DateTimeOffset LastSent { get; set; } = DateTimeOffset.MinValue;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A leaderboard update could not be sent")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}
