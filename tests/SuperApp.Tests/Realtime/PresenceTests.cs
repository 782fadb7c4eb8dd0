using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Realtime;

public sealed class PresenceSettings : ITestSettings
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    public static void Configure(AppFixture app)
    {
        RealtimeSettings.Configure(app);
        app.Settings["Realtime:PresenceGrace"] = Grace.ToString();
        // The grace period passes when the test says so, not while the test waits.
        app.Clock = TestClock.Manual();
    }
}

/// <summary>Presence on a clock that stands still: the grace period is observed from both sides of its end.</summary>
public sealed class PresenceTests(App<Postgres, PresenceSettings> app) : IClassFixture<App<Postgres, PresenceSettings>>
{
    [Fact]
    public async Task Presence_follows_connections_with_a_grace_period_and_is_announced_to_conversation_members()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        await a.ConversationAsync(b);
        await using var cb = await RealtimeClient.ConnectAsync(app, b);
        var ca = await RealtimeClient.ConnectAsync(app, a);
        await cb.WaitForAsync("presence.changed", d => d.GetProperty("userId").GetGuid() == a.UserId
            && d.GetProperty("online").GetBoolean());
        Assert.True((await ViewAsync(b, a)).GetProperty("online").GetBoolean());

        await ca.DisposeAsync();
        var left = await LeftAsync(b, a);
        Assert.True(left.GetProperty("online").GetBoolean());
        Assert.DoesNotContain(cb.OfType("presence.changed"), e => !e.GetProperty("data").GetProperty("online").GetBoolean());

        app.Clock.Advance(PresenceSettings.Grace);
        var offline = await cb.WaitForAsync("presence.changed", d => d.GetProperty("userId").GetGuid() == a.UserId
            && !d.GetProperty("online").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, offline.GetProperty("seq").ValueKind);
        var view = await ViewAsync(b, a);
        Assert.False(view.GetProperty("online").GetBoolean());
        Assert.Equal(left.GetProperty("lastSeenAt").GetDateTime(), view.GetProperty("lastSeenAt").GetDateTime());
    }

    private static async Task<System.Text.Json.JsonElement> ViewAsync(Session viewer, Session of) =>
        await (await viewer.Client.GetAsync($"/api/users/{of.UserId}/presence")).JsonAsync();

    /// <summary>The view once the service has recorded the disconnect (it is processed after the client has gone).</summary>
    private static async Task<System.Text.Json.JsonElement> LeftAsync(Session viewer, Session of)
    {
        using var cts = new CancellationTokenSource(RealtimeClient.Wait);
        while (true)
        {
            var view = await ViewAsync(viewer, of);
            if (view.GetProperty("lastSeenAt").ValueKind == System.Text.Json.JsonValueKind.String)
            {
                return view;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cts.Token);
        }
    }
}
