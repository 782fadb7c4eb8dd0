using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Admin;

public abstract class AdminUsersTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Non_admins_are_forbidden_and_anonymous_callers_unauthenticated()
    {
        var s = await app.RegisterAsync();
        var creator = await app.WithRoleAsync(await app.RegisterAsync(), Features.Users.Role.Creator);

        foreach (var client in new[] { s.Client, creator.Client })
        {
            await client.GetAsync("/api/admin/users").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "FORBIDDEN");
            var patch = await client.PatchAsJsonAsync($"/api/admin/users/{s.UserId}", new { role = "admin" });
            Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/admin/users")).StatusCode);
    }

    [Fact]
    public async Task The_list_pages_newest_first_with_a_cursor()
    {
        var admin = await app.AdminAsync();
        var prefix = NewPrefix();
        var older = await RegisterNamedAsync(prefix + "a");
        var newer = await RegisterNamedAsync(prefix + "b");

        var first = await ListAsync(admin, $"search={prefix}&limit=1");
        Assert.Equal([newer], Ids(first));
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.False(string.IsNullOrEmpty(cursor));

        var second = await ListAsync(admin, $"search={prefix}&limit=1&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal([older], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Search_matches_the_start_of_a_username_in_any_case()
    {
        var admin = await app.AdminAsync();
        var prefix = NewPrefix();
        var match = await RegisterNamedAsync(prefix + "match");
        await app.RegisterAsync();

        Assert.Equal([match], Ids(await ListAsync(admin, $"search={prefix.ToUpperInvariant()}")));
        Assert.Empty(Ids(await ListAsync(admin, $"search={prefix[1..]}")));
    }

    [Fact]
    public async Task The_list_filters_by_role_and_status()
    {
        var admin = await app.AdminAsync();
        var prefix = NewPrefix();
        var plain = await RegisterNamedAsync(prefix + "plain");
        var creator = await RegisterNamedAsync(prefix + "creator");
        var suspended = await RegisterNamedAsync(prefix + "suspended");
        await PatchAsync(admin, creator, new { role = "creator" });
        await PatchAsync(admin, suspended, new { status = "suspended" });

        Assert.Equal([creator], Ids(await ListAsync(admin, $"search={prefix}&role=creator")));
        Assert.Equal([suspended], Ids(await ListAsync(admin, $"search={prefix}&status=suspended")));
        Assert.Equal([suspended, plain], Ids(await ListAsync(admin, $"search={prefix}&role=user")));
        Assert.Equal([creator, plain], Ids(await ListAsync(admin, $"search={prefix}&status=active")));

        var unknown = await admin.Client.GetAsync("/api/admin/users?role=superuser")
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(unknown.Body.GetProperty("errors").TryGetProperty("role", out _));
    }

    [Fact]
    public async Task An_admin_changes_role_tier_and_status()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();

        var premium = await PatchAsync(admin, s.UserId, new { tier = "premium" });
        Assert.Equal(("user", "premium"), (premium.GetProperty("role").GetString(), premium.GetProperty("tier").GetString()));

        var creator = await PatchAsync(admin, s.UserId, new { role = "creator" });
        Assert.Equal(("creator", "creator"), (creator.GetProperty("role").GetString(), creator.GetProperty("tier").GetString()));

        await admin.Client.PatchAsJsonAsync($"/api/admin/users/{s.UserId}", new { tier = "premium" })
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "TIER_FOLLOWS_ROLE");

        var back = await PatchAsync(admin, s.UserId, new { role = "user", status = "active" });
        Assert.Equal(("user", "free", "active"),
            (back.GetProperty("role").GetString(), back.GetProperty("tier").GetString(), back.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Suspending_stops_an_existing_token_at_once_and_reactivating_restores_it()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.Client.GetAsync("/api/users/me")).StatusCode);

        await PatchAsync(admin, s.UserId, new { status = "suspended" });
        await s.Client.GetAsync("/api/users/me").ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ACCOUNT_SUSPENDED");

        await PatchAsync(admin, s.UserId, new { status = "active" });
        Assert.Equal(HttpStatusCode.OK, (await s.Client.GetAsync("/api/users/me")).StatusCode);
    }

    [Fact]
    public async Task Status_deleted_is_refused_and_unknown_users_are_not_found()
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();

        await admin.Client.PatchAsJsonAsync($"/api/admin/users/{s.UserId}", new { status = "deleted" })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(HttpStatusCode.OK, (await s.Client.GetAsync("/api/users/me")).StatusCode);

        await admin.Client.PatchAsJsonAsync($"/api/admin/users/{Guid.NewGuid()}", new { status = "suspended" })
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "USER_NOT_FOUND");
    }

    [Theory]
    [InlineData("{\"role\":2}", "MALFORMED_JSON")]
    [InlineData("{\"role\":\"99\"}", "MALFORMED_JSON")]
    [InlineData("{\"role\":\"creator, admin\"}", "VALIDATION_FAILED")]
    [InlineData("{\"tier\":\"platinum\"}", "MALFORMED_JSON")]
    public async Task Only_named_roles_and_tiers_are_accepted(string json, string code)
    {
        var admin = await app.AdminAsync();
        var s = await app.RegisterAsync();

        var response = await admin.Client.PatchAsync($"/api/admin/users/{s.UserId}",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, code);
        var me = await (await s.Client.GetAsync("/api/users/me")).JsonAsync();
        Assert.Equal(("user", "free"), (me.GetProperty("role").GetString(), me.GetProperty("tier").GetString()));
    }

    /// <summary>A lower-case prefix no other test's usernames start with.</summary>
    private static string NewPrefix() => "q" + Guid.NewGuid().ToString("N")[..10];

    private async Task<Guid> RegisterNamedAsync(string username)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/register",
            new { email = $"{username}@example.com", username, password = Api.Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("user").GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> ListAsync(Session admin, string query)
    {
        var response = await admin.Client.GetAsync($"/api/admin/users?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static async Task<JsonElement> PatchAsync(Session admin, Guid userId, object body)
    {
        var response = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{userId}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static Guid[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()
        .Select(i => i.GetProperty("id").GetGuid())];
}

public sealed class AdminUsersTestsOnPostgres(App<Postgres, Defaults> app) : AdminUsersTests<App<Postgres, Defaults>>(app);

public sealed class AdminUsersTestsOnSqlite(App<Sqlite, Defaults> app) : AdminUsersTests<App<Sqlite, Defaults>>(app);
