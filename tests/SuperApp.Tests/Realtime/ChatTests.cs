using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Realtime;

/// <summary>The chat REST routes on both databases: conversations, messages, read markers, membership, limits, blocks.</summary>
public abstract class ChatTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_direct_conversation_is_unique_per_pair_and_a_group_has_a_title()
    {
        var (a, b, c) = (await app.RegisterAsync(), await app.RegisterAsync(), await app.RegisterAsync());
        var first = await a.Client.PostAsJsonAsync("/api/chat/conversations", new { memberIds = new[] { b.UserId } });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.JsonAsync();
        Assert.Equal("direct", body.GetProperty("kind").GetString());
        Assert.Equal(new[] { a.Username, b.Username }.Order(), body.GetProperty("members").EnumerateArray()
            .Select(m => m.GetProperty("username").GetString()!).Order());

        var again = await b.Client.PostAsJsonAsync("/api/chat/conversations", new { memberIds = new[] { a.UserId } });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(body.GetProperty("id").GetGuid(), (await again.JsonAsync()).GetProperty("id").GetGuid());

        var group = await a.Client.PostAsJsonAsync("/api/chat/conversations",
            new { memberIds = new[] { b.UserId, c.UserId }, title = "Team" });
        Assert.Equal(HttpStatusCode.Created, group.StatusCode);
        var g = await group.JsonAsync();
        Assert.Equal(("group", "Team", 3),
            (g.GetProperty("kind").GetString(), g.GetProperty("title").GetString(), g.GetProperty("members").GetArrayLength()));

        var unknown = await a.Client.PostAsJsonAsync("/api/chat/conversations", new { memberIds = new[] { Guid.NewGuid() } });
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "USER_NOT_FOUND");
        var empty = await a.Client.PostAsJsonAsync("/api/chat/conversations", new { memberIds = new[] { a.UserId } });
        await empty.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var tooMany = await a.Client.PostAsJsonAsync("/api/chat/conversations",
            new { memberIds = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()) });
        await tooMany.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task Messages_are_verbatim_newest_first_paged_and_idempotent_by_client_message_id()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await a.ConversationAsync(b);
        const string Tricky = "<script>alert('x')</script> & \"quotes\" ü 😀\n  spaced  ";
        var sent = await a.PostMessageAsync(id, Tricky, "m-1");
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var first = await sent.JsonAsync();
        Assert.Equal(Tricky, first.GetProperty("text").GetString());
        Assert.Equal(a.UserId, first.GetProperty("sender").GetProperty("id").GetGuid());
        Assert.Equal("m-1", first.GetProperty("clientMessageId").GetString());

        var retry = await a.PostMessageAsync(id, "different text", "m-1");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(first.GetProperty("id").GetGuid(), (await retry.JsonAsync()).GetProperty("id").GetGuid());

        await b.SendAsync(id, "two");
        await a.SendAsync(id, "three");
        var page = await (await b.Client.GetAsync($"/api/chat/conversations/{id}/messages?limit=2")).JsonAsync();
        Assert.Equal(["three", "two"], page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        var cursor = page.GetProperty("nextCursor").GetString();
        var rest = await (await b.Client.GetAsync($"/api/chat/conversations/{id}/messages?limit=2&before={cursor}")).JsonAsync();
        Assert.Equal([Tricky], rest.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);

        await a.PostMessageAsync(id, new string('x', 4001)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await a.PostMessageAsync(id, "").ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(HttpStatusCode.Created, (await a.PostMessageAsync(id, new string('x', 4000))).StatusCode);
    }

    [Fact]
    public async Task The_list_shows_last_message_and_unread_count_until_read()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var id = await a.ConversationAsync(b);
        await a.SendAsync(id, "one");
        var two = await a.SendAsync(id, "two");

        var list = await (await b.Client.GetAsync("/api/chat/conversations")).JsonAsync();
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("two", 2),
            (item.GetProperty("lastMessage").GetProperty("text").GetString(), item.GetProperty("unreadCount").GetInt32()));
        Assert.Equal(0, (await (await a.Client.GetAsync("/api/chat/conversations")).JsonAsync())
            .GetProperty("items")[0].GetProperty("unreadCount").GetInt32());

        var read = await b.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/read",
            new { messageId = two.GetProperty("id").GetGuid() });
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        Assert.Equal(0, (await (await b.Client.GetAsync("/api/chat/conversations")).JsonAsync())
            .GetProperty("items")[0].GetProperty("unreadCount").GetInt32());
        var unknown = await b.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/read", new { messageId = Guid.NewGuid() });
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "MESSAGE_NOT_FOUND");
    }

    [Fact]
    public async Task Only_members_see_or_post_and_a_block_stops_messages()
    {
        var (a, b, outsider) = (await app.RegisterAsync(), await app.RegisterAsync(), await app.RegisterAsync());
        var id = await a.ConversationAsync(b);
        var msg = await a.SendAsync(id, "hello");
        await outsider.Client.GetAsync($"/api/chat/conversations/{id}/messages")
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONVERSATION_NOT_FOUND");
        await outsider.PostMessageAsync(id, "hi").ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONVERSATION_NOT_FOUND");
        var read = await outsider.Client.PostAsJsonAsync($"/api/chat/conversations/{id}/read",
            new { messageId = msg.GetProperty("id").GetGuid() });
        await read.ShouldBeProblemAsync(HttpStatusCode.NotFound, "CONVERSATION_NOT_FOUND");
        Assert.Empty((await (await outsider.Client.GetAsync("/api/chat/conversations")).JsonAsync()).GetProperty("items").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.PostAsync($"/api/users/{a.UserId}/block", null)).StatusCode);
        await a.PostMessageAsync(id, "still there?").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "BLOCKED");
        Assert.Equal(HttpStatusCode.Created, (await b.PostMessageAsync(id, "I can still write")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await b.Client.DeleteAsync($"/api/users/{a.UserId}/block")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await a.PostMessageAsync(id, "thanks")).StatusCode);
    }

    [Fact]
    public async Task Presence_of_a_user_never_connected_is_offline()
    {
        var (a, b) = (await app.RegisterAsync(), await app.RegisterAsync());
        var body = await (await a.Client.GetAsync($"/api/users/{b.UserId}/presence")).JsonAsync();
        Assert.False(body.GetProperty("online").GetBoolean());
        await a.Client.GetAsync($"/api/users/{Guid.NewGuid()}/presence").ShouldBeProblemAsync(HttpStatusCode.NotFound, "USER_NOT_FOUND");
    }
}

public sealed class ChatTestsOnPostgres(App<Postgres, Defaults> app) : ChatTests<App<Postgres, Defaults>>(app);

public sealed class ChatTestsOnSqlite(App<Sqlite, Defaults> app) : ChatTests<App<Sqlite, Defaults>>(app);
