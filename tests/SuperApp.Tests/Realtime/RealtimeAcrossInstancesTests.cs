using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Realtime;

/// <summary>
/// Two instances sharing PostgreSQL and Redis (one key prefix): the SignalR backplane, run on the
/// project's StackExchange.Redis 3.x, delivers what happens on A to a user connected to B, and
/// presence counted in Redis is the same seen from either.
/// </summary>
public sealed class RealtimeAcrossInstancesTests(TwoInstances<RedisSettings> apps) : IClassFixture<TwoInstances<RedisSettings>>
{
    [Fact]
    public async Task A_user_on_B_receives_a_message_and_a_transfer_made_through_A()
    {
        var (a, b) = (await apps.A.RegisterAsync(), await apps.A.RegisterAsync());
        var id = await a.ConversationAsync(b);
        await apps.A.FundAsync(a, 50_000);
        await using var onB = await RealtimeClient.ConnectAsync(apps.B, b);

        var sent = await a.SendAsync(id, "across instances");
        var created = await onB.WaitForAsync("message.created", d => d.GetProperty("id").GetGuid() == sent.GetProperty("id").GetGuid());
        Assert.Equal("across instances", created.GetProperty("data").GetProperty("text").GetString());

        var tx = (await a.TransferAsync(b, 7_000)).GetProperty("transactionId").GetGuid();
        var credit = await onB.WaitForAsync("wallet.balance_changed", d => d.GetProperty("transactionId").GetGuid() == tx);
        Assert.Equal(7_000, credit.GetProperty("data").GetProperty("balance").GetInt64());

        // A ticket issued by A is good on B: both derive the same secret.
        var ticket = (await (await b.Client.PostAsync("/api/realtime/ticket", null)).JsonAsync()).GetProperty("ticket").GetString()!;
        await using var byTicket = await RealtimeClient.ConnectAsync(apps.B, ticket);
    }

    [Fact]
    public async Task Presence_is_the_same_from_both_instances()
    {
        var (a, b) = (await apps.A.RegisterAsync(), await apps.A.RegisterAsync());
        await a.ConversationAsync(b);
        await using var watcherOnA = await RealtimeClient.ConnectAsync(apps.A, a);
        await using var onB = await RealtimeClient.ConnectAsync(apps.B, b);

        await watcherOnA.WaitForAsync("presence.changed", d => d.GetProperty("userId").GetGuid() == b.UserId
            && d.GetProperty("online").GetBoolean());
        var fromA = await (await a.Client.GetAsync($"/api/users/{b.UserId}/presence")).JsonAsync();
        Assert.True(fromA.GetProperty("online").GetBoolean());
        var onBClient = apps.B.CreateClient();
        onBClient.DefaultRequestHeaders.Authorization = a.Client.DefaultRequestHeaders.Authorization;
        Assert.True((await onBClient.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/users/{b.UserId}/presence"))
            .GetProperty("online").GetBoolean());
    }
}
