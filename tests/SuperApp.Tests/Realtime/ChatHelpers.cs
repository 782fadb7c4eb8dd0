using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Realtime;

public static class ChatHelpers
{
    public static async Task<Guid> ConversationAsync(this Session s, params Session[] with)
    {
        var response = await s.Client.PostAsJsonAsync("/api/chat/conversations", new { memberIds = with.Select(w => w.UserId) });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, response.StatusCode.ToString());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> PostMessageAsync(this Session s, Guid conversation, string text,
        string? clientMessageId = null) =>
        s.Client.PostAsJsonAsync($"/api/chat/conversations/{conversation}/messages",
            new { clientMessageId = clientMessageId ?? Guid.NewGuid().ToString("N"), text });

    public static async Task<JsonElement> SendAsync(this Session s, Guid conversation, string text)
    {
        var response = await s.PostMessageAsync(conversation, text);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> TransferAsync(this Session from, Session to, long amount)
    {
        var response = await from.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = to.UserId, amount });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    public static long Seq(this JsonElement e) => e.GetProperty("seq").GetInt64();

    public static string Type(this JsonElement e) => e.GetProperty("type").GetString()!;
}
