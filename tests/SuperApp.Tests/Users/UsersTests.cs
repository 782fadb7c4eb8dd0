using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Features.Users;
using SuperApp.Tests.Auth;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Users;

public abstract class UsersTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task Me_is_the_owners_full_profile()
    {
        var phone = Otp.NewPhoneNumber();
        var s = await app.RegisterAsync(phone);

        var me = await (await s.Client.GetAsync("/api/users/me")).JsonAsync();
        Assert.Equal(s.UserId, me.GetProperty("id").GetGuid());
        Assert.Equal(s.Email, me.GetProperty("email").GetString());
        Assert.Equal(s.Username, me.GetProperty("username").GetString());
        Assert.Equal(phone, me.GetProperty("phoneNumber").GetString());
        Assert.Equal(("user", "free", "active"),
            (me.GetProperty("role").GetString(), me.GetProperty("tier").GetString(), me.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Patch_me_updates_the_given_fields_and_keeps_the_others()
    {
        var s = await app.RegisterAsync();
        var newName = "p" + Guid.NewGuid().ToString("N")[..10];

        var patch = await s.Client.PatchAsJsonAsync("/api/users/me",
            new { displayName = "Dewi", bio = "Makes things.", username = newName.ToUpperInvariant() });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        var me = await (await s.Client.GetAsync("/api/users/me")).JsonAsync();
        Assert.Equal("Dewi", me.GetProperty("displayName").GetString());
        Assert.Equal("Makes things.", me.GetProperty("bio").GetString());
        Assert.Equal(newName, me.GetProperty("username").GetString());
        Assert.Equal(s.Email, me.GetProperty("email").GetString());

        var bioOnly = await s.Client.PatchAsJsonAsync("/api/users/me", new { bio = "" });
        Assert.Equal(HttpStatusCode.OK, bioOnly.StatusCode);
        var after = await bioOnly.JsonAsync();
        Assert.True(IsNullOrMissing(after, "bio"));
        Assert.Equal("Dewi", after.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Patch_me_to_a_taken_username_is_a_conflict()
    {
        var other = await app.RegisterAsync();
        var s = await app.RegisterAsync();

        await s.Client.PatchAsJsonAsync("/api/users/me", new { username = other.Username.ToUpperInvariant() })
            .ShouldBeProblemAsync(HttpStatusCode.Conflict, "USERNAME_TAKEN");
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    public async Task Patch_me_with_an_invalid_username_names_the_field(string username)
    {
        var s = await app.RegisterAsync();

        var problem = await s.Client.PatchAsJsonAsync("/api/users/me", new { username })
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.True(problem.Body.GetProperty("errors").TryGetProperty("username", out _));
    }

    [Fact]
    public async Task Another_users_profile_is_public_fields_only()
    {
        var owner = await app.RegisterAsync(Otp.NewPhoneNumber());
        var viewer = await app.RegisterAsync();

        var response = await viewer.Client.GetAsync($"/api/users/{owner.UserId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var body = await response.JsonAsync();
        Assert.Equal(owner.Username, body.GetProperty("username").GetString());
        Assert.False(body.TryGetProperty("email", out _));
        Assert.False(body.TryGetProperty("phoneNumber", out _));
        Assert.DoesNotContain(owner.Email, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unknown_and_suspended_users_are_not_found()
    {
        var viewer = await app.RegisterAsync();
        var suspended = await app.RegisterAsync();
        var admin = await app.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await viewer.Client.GetAsync($"/api/users/{suspended.UserId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await admin.Client.PatchAsJsonAsync($"/api/admin/users/{suspended.UserId}", new { status = "suspended" })).StatusCode);

        foreach (var id in new[] { Guid.NewGuid(), suspended.UserId })
        {
            await viewer.Client.GetAsync($"/api/users/{id}").ShouldBeProblemAsync(HttpStatusCode.NotFound, "USER_NOT_FOUND");
        }
    }

    [Fact]
    public async Task Becoming_a_creator_sets_role_and_tier_once()
    {
        var s = await app.RegisterAsync();

        var first = await s.Client.PostAsync("/api/users/me/creator", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.JsonAsync();
        Assert.Equal(("creator", "creator"), (body.GetProperty("role").GetString(), body.GetProperty("tier").GetString()));

        await s.Client.PostAsync("/api/users/me/creator", null).ShouldBeProblemAsync(HttpStatusCode.Conflict, "ALREADY_CREATOR");

        // Access tokens carry the role; a refreshed one says creator.
        var refreshed = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = s.RefreshToken });
        Assert.Equal("creator", (await refreshed.JsonAsync()).GetProperty("user").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Export_holds_the_profile_and_the_sessions()
    {
        var s = await app.RegisterAsync();
        await app.LoginAsync(s);

        var export = await (await s.Client.GetAsync("/api/users/me/export")).JsonAsync();
        Assert.Equal(s.Email, export.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal(2, export.GetProperty("sessions").GetArrayLength());
        Assert.DoesNotContain("hash", export.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Deleting_me_erases_personal_data_and_ends_access()
    {
        var phone = Otp.NewPhoneNumber();
        var s = await app.RegisterAsync(phone);

        Assert.Equal(HttpStatusCode.NoContent, (await s.Client.DeleteAsync("/api/users/me")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.GetAsync("/api/users/me")).StatusCode);
        var login = await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Email, password = s.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var refresh = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = s.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);

        var user = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == s.UserId));
        Assert.Equal(UserStatus.Deleted, user.Status);
        Assert.DoesNotContain(s.Username, user.Email, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Username, user.Username, StringComparison.Ordinal);
        Assert.Null(user.PhoneNumber);
        Assert.Equal("", user.PasswordHash);
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == s.Email || u.Username == s.Username
            || u.PhoneNumber == phone)));
    }

    private static bool IsNullOrMissing(JsonElement body, string name) =>
        !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;
}

public sealed class UsersTestsOnPostgres(App<Postgres, Defaults> app) : UsersTests<App<Postgres, Defaults>>(app);

public sealed class UsersTestsOnSqlite(App<Sqlite, Defaults> app) : UsersTests<App<Sqlite, Defaults>>(app);
