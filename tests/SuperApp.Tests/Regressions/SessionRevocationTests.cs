using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Regressions;

/// <summary>
/// Ending a session (DELETE /api/users/me/sessions/{id}, logout) must end its access tokens too, not only
/// its refresh token: otherwise whoever holds a stolen session keeps spending for the token's 15 minutes.
/// </summary>
public abstract class SessionRevocationTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    [Fact]
    public async Task A_revoked_sessions_access_token_is_refused_at_once()
    {
        var owner = await app.RegisterAsync();
        await app.FundAsync(owner, 100_000);
        var thief = await app.LoginAsync(owner); // a second sign-in of the same account
        var sessions = (await (await owner.Client.GetAsync("/api/users/me/sessions")).JsonAsync()).GetProperty("items").EnumerateArray();
        var stolen = sessions.Single(i => !i.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await thief.Client.GetAsync("/api/wallet/balance")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/users/me/sessions/{stolen}")).StatusCode);

        await thief.Client.GetAsync("/api/wallet/balance").ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "SESSION_REVOKED");
        var sink = await app.RegisterAsync();
        var transfer = await thief.Client.PostAsJsonAsync("/api/wallet/transfer", new { toUserId = sink.UserId, amount = 50_000 });
        await transfer.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "SESSION_REVOKED");
        Assert.Equal(0, await app.BalanceAsync(sink.UserId));
        // The owner's own session goes on.
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/wallet/balance")).StatusCode);
    }

    [Fact]
    public async Task A_logged_out_sessions_access_token_is_refused_and_a_refresh_keeps_a_session_alive()
    {
        var first = await app.RegisterAsync();
        var second = await app.LoginAsync(first);
        var refreshed = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = await refreshed.JsonAsync();
        var rotated = app.CreateUserClient();
        rotated.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("accessToken").GetString());
        // A rotation is not an ending: the new token and the one it replaced both still work.
        Assert.Equal(HttpStatusCode.OK, (await rotated.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync("/api/users/me")).StatusCode);

        var logout = await app.CreateClient().PostAsJsonAsync("/api/auth/logout", new { refreshToken = second.RefreshToken });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await second.Client.GetAsync("/api/users/me").ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "SESSION_REVOKED");
        Assert.Equal(HttpStatusCode.OK, (await rotated.GetAsync("/api/users/me")).StatusCode);
    }
}

public sealed class SessionRevocationTestsOnPostgres(App<Postgres, Defaults> app) : SessionRevocationTests<App<Postgres, Defaults>>(app);

public sealed class SessionRevocationTestsOnSqlite(App<Sqlite, Defaults> app) : SessionRevocationTests<App<Sqlite, Defaults>>(app);
