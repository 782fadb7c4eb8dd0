using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Auth;

public abstract class SessionTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private static HttpClient WithToken(AppFixture app, string token)
    {
        var client = app.CreateUserClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_password_change_ends_every_other_session_and_keeps_this_one_with_fresh_tokens()
    {
        var laptop = await app.RegisterAsync();
        var phone = await app.LoginAsync(laptop); // a second session of the same account
        app.Clock.Advance(TimeSpan.FromSeconds(2)); // the change happens after both tokens were issued

        var change = await laptop.Client.PostAsJsonAsync("/api/users/me/password",
            new { currentPassword = Api.Password, newPassword = "a-brand-new-passphrase" });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        var fresh = await change.JsonAsync();

        var refresh = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = phone.RefreshToken });
        await refresh.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_REFRESH_TOKEN");
        await phone.Client.GetAsync("/api/users/me").ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "SESSION_REVOKED");

        var now = WithToken(app, fresh.GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await now.GetAsync("/api/users/me")).StatusCode);
        var login = await app.CreateClient()
            .PostAsJsonAsync("/api/auth/login", new { login = laptop.Username, password = "a-brand-new-passphrase" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.AuditLogs.AnyAsync(a => a.Action == "auth.password_changed"
            && a.EntityId == laptop.UserId.ToString())));
    }

    [Fact]
    public async Task A_password_change_needs_the_current_password_and_the_same_strength_rules()
    {
        var s = await app.RegisterAsync();
        var wrong = await s.Client.PostAsJsonAsync("/api/users/me/password",
            new { currentPassword = "not-it-at-all", newPassword = "another-long-one" });
        await wrong.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "INVALID_CREDENTIALS");
        var weak = await s.Client.PostAsJsonAsync("/api/users/me/password", new { currentPassword = Api.Password, newPassword = "short" });
        await weak.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(HttpStatusCode.OK,
            (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = Api.Password })).StatusCode);
    }

    [Fact]
    public async Task Sessions_are_listed_with_the_current_one_marked_and_one_can_be_ended()
    {
        var first = await app.RegisterAsync();
        var second = await app.LoginAsync(first);
        var list = await (await first.Client.GetAsync("/api/users/me/sessions")).JsonAsync();
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Single(items, i => i.GetProperty("current").GetBoolean());
        var other = items.Single(i => !i.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();

        var stranger = await app.RegisterAsync();
        await stranger.Client.DeleteAsync($"/api/users/me/sessions/{other}")
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "SESSION_NOT_FOUND");
        Assert.Equal(HttpStatusCode.NoContent, (await first.Client.DeleteAsync($"/api/users/me/sessions/{other}")).StatusCode);

        var refresh = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = second.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        var mine = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Single((await (await first.Client.GetAsync("/api/users/me/sessions")).JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_phone_number_is_set_only_by_the_code_sent_to_it()
    {
        var s = await app.RegisterAsync();
        var patch = await s.Client.PatchAsJsonAsync("/api/users/me", new { phoneNumber = Otp.NewPhoneNumber() });
        await patch.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");

        var number = Otp.NewPhoneNumber();
        Assert.Equal(HttpStatusCode.Accepted,
            (await s.Client.PostAsJsonAsync("/api/users/me/phone", new { phoneNumber = number })).StatusCode);
        var code = app.Sms.LastCodeFor(number)!;
        var wrong = await s.Client.PostAsJsonAsync("/api/users/me/phone/verify", new { code = Otp.Other(code) });
        await wrong.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_OTP");
        Assert.Null((await (await s.Client.GetAsync("/api/users/me")).JsonAsync()).GetProperty("phoneNumber").GetString());

        var right = await s.Client.PostAsJsonAsync("/api/users/me/phone/verify", new { code });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(number, (await (await s.Client.GetAsync("/api/users/me")).JsonAsync()).GetProperty("phoneNumber").GetString());
        Assert.True(await app.WithDbAsync(db => db.AuditLogs.AnyAsync(a => a.Action == "user.phone_changed"
            && a.EntityId == s.UserId.ToString())));

        var thief = await app.RegisterAsync();
        var claim = await thief.Client.PostAsJsonAsync("/api/users/me/phone", new { phoneNumber = number });
        await claim.ShouldBeProblemAsync(HttpStatusCode.Conflict, "PHONE_TAKEN");
    }

    [Fact]
    public async Task A_demoted_admins_next_admin_call_is_refused_and_the_change_is_audited()
    {
        var boss = await app.AdminAsync();
        var demoted = await app.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await demoted.Client.GetAsync("/api/admin/users")).StatusCode);

        var change = await boss.Client.PatchAsJsonAsync($"/api/admin/users/{demoted.UserId}", new { role = "user" });
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await demoted.Client.GetAsync("/api/admin/users")).StatusCode);

        var row = await app.WithDbAsync(db => db.AuditLogs.SingleAsync(a => a.Action == "user.access_changed"
            && a.EntityId == demoted.UserId.ToString()));
        Assert.Equal(boss.UserId, row.ActorId);
        Assert.Contains("admin", row.Before, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"user\"", row.After, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(row.RequestId));
    }
}

public sealed class SessionTestsOnPostgres(App<Postgres, Defaults> app) : SessionTests<App<Postgres, Defaults>>(app);

public sealed class SessionTestsOnSqlite(App<Sqlite, Defaults> app) : SessionTests<App<Sqlite, Defaults>>(app);

/// <summary>A role change made through one instance counts on the next request to the other, whose cache Redis clears.</summary>
public sealed class AccessChangeAcrossInstancesTests(TwoInstances<RedisSettings> apps) : IClassFixture<TwoInstances<RedisSettings>>
{
    [Fact]
    public async Task A_demotion_through_A_is_refused_at_once_on_B()
    {
        var boss = await apps.A.AdminAsync();
        var demoted = await apps.A.AdminAsync();
        var onB = apps.B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = demoted.Client.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/admin/users")).StatusCode); // B has cached the admin

        Assert.Equal(HttpStatusCode.OK,
            (await boss.Client.PatchAsJsonAsync($"/api/admin/users/{demoted.UserId}", new { role = "user" })).StatusCode);
        // The message travels through Redis: bounded polling of B's answer, never a timed sleep.
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 200 && status == HttpStatusCode.OK; i++)
        {
            status = (await onB.GetAsync("/api/admin/users")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }
}
