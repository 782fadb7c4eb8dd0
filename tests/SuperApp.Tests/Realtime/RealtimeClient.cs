using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Realtime;

/// <summary>A .NET SignalR client connected in-process to one instance, recording every <c>event</c> it receives.</summary>
public sealed class RealtimeClient : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly List<JsonElement> _events = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RealtimeClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("event", e =>
        {
            lock (_events)
            {
                _events.Add(e.Clone());
                _arrived.TrySetResult();
                _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        });
    }

    public HubConnection Connection { get; }

    public static HubConnection Build(AppFixture app, string? credential) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/realtime"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.AccessTokenProvider = () => Task.FromResult(credential);
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();

    public static async Task<RealtimeClient> ConnectAsync(AppFixture app, string credential)
    {
        var client = new RealtimeClient(Build(app, credential));
        await client.Connection.StartAsync();
        // The handshake answers before the server has subscribed the connection to its user's pushes (on
        // the Redis backplane, asynchronously); a hub call is served only after that, so one round trip
        // guarantees what is sent from now on reaches this client. Real clients get the same from Resume.
        await client.Connection.InvokeAsync("UnwatchLeaderboard", "day", "receivers");
        return client;
    }

    public static Task<RealtimeClient> ConnectAsync(AppFixture app, Session session) => ConnectAsync(app, session.AccessToken);

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<JsonElement> OfType(string type) => Events.Where(e => e.GetProperty("type").GetString() == type).ToList();

    /// <summary>The first event of the type matching the filter, waiting (bounded) for it to arrive.</summary>
    public async Task<JsonElement> WaitForAsync(string type, Func<JsonElement, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            Task arrived;
            lock (_events)
            {
                foreach (var e in _events)
                {
                    if (e.GetProperty("type").GetString() == type && (match is null || match(e.GetProperty("data"))))
                    {
                        return e;
                    }
                }

                arrived = _arrived.Task;
            }

            await arrived.WaitAsync(cts.Token);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> events of the type have arrived.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForCountAsync(string type, int count)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            Task arrived;
            lock (_events)
            {
                var found = _events.Where(e => e.GetProperty("type").GetString() == type).ToList();
                if (found.Count >= count)
                {
                    return found;
                }

                arrived = _arrived.Task;
            }

            await arrived.WaitAsync(cts.Token);
        }
    }

    public void Clear()
    {
        lock (_events)
        {
            _events.Clear();
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
