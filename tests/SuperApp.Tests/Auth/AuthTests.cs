using System.Net;
using System.Net.Http.Json;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Auth;

public abstract class AuthTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private readonly HttpClient _anon = app.CreateClient();

    [Fact]
    public async Task Register_returns_the_user_and_a_working_token_pair()
    {
        var name = "n" + Guid.NewGuid().ToString("N")[..10];
        var response = await _anon.PostAsJsonAsync("/api/auth/register",
            new { email = $"{name.ToUpperInvariant()}@Example.com", username = name, password = Api.Password, displayName = "N" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var user = body.GetProperty("user");
        Assert.Equal($"{name}@example.com", user.GetProperty("email").GetString());
        Assert.Equal("user", user.GetProperty("role").GetString());
        Assert.Equal("free", user.GetProperty("tier").GetString());
        Assert.Equal(900, body.GetProperty("expiresIn").GetInt32());

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        me.Headers.Authorization = new("Bearer", body.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _anon.SendAsync(me)).StatusCode);
    }

    [Fact]
    public async Task Register_refuses_an_email_taken_in_another_case()
    {
        var existing = await app.RegisterAsync();
        var response = await _anon.PostAsJsonAsync("/api/auth/register",
            new { email = existing.Email.ToUpperInvariant(), username = "x" + Guid.NewGuid().ToString("N")[..10],
                password = Api.Password });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "EMAIL_TAKEN");
    }

    [Fact]
    public async Task Register_with_bad_fields_is_a_validation_problem_naming_them()
    {
        var response = await _anon.PostAsJsonAsync("/api/auth/register", new { email = "nope", username = "a", password = "short" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var errors = problem.Body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("username", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Login_works_with_email_or_username()
    {
        var s = await app.RegisterAsync();
        foreach (var login in new[] { s.Email.ToUpperInvariant(), s.Username })
        {
            var response = await _anon.PostAsJsonAsync("/api/auth/login", new { login, password = s.Password });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(s.UserId, (await response.JsonAsync()).GetProperty("user").GetProperty("id").GetGuid());
        }
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_get_the_same_answer()
    {
        var s = await app.RegisterAsync();
        var wrong = await _anon.PostAsJsonAsync("/api/auth/login", new { login = s.Username, password = "not-the-password" })
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_CREDENTIALS");
        var unknown = await _anon.PostAsJsonAsync("/api/auth/login",
            new { login = "nobody" + Guid.NewGuid().ToString("N")[..8], password = "whatever-1" })
                .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_CREDENTIALS");

        Assert.Equal(wrong.Body.GetProperty("title").GetString(), unknown.Body.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Five_failures_lock_the_account_even_against_the_right_password(bool accountExists)
    {
        var login = accountExists ? (await app.RegisterAsync()).Username : "ghost" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 4; i++)
        {
            var r = await _anon.PostAsJsonAsync("/api/auth/login", new { login, password = "wrong-password" });
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        var fifth = await _anon.PostAsJsonAsync("/api/auth/login", new { login, password = "wrong-password" });
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        await fifth.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "TOO_MANY_ATTEMPTS");

        var right = await _anon.PostAsJsonAsync("/api/auth/login", new { login, password = Api.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        var retryAfter = right.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 300);
    }

    [Fact]
    public async Task Refresh_rotates_and_reuse_of_an_old_token_ends_the_whole_session()
    {
        var s = await app.RegisterAsync();
        var first = await _anon.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = s.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = (await first.JsonAsync()).GetProperty("refreshToken").GetString();
        Assert.NotEqual(s.RefreshToken, rotated);

        var replay = await _anon.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = s.RefreshToken })
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "INVALID_REFRESH_TOKEN");

        // The thief's replay also killed the legitimate holder's newer token.
        var afterReuse = await _anon.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = rotated });
        Assert.Equal(HttpStatusCode.Unauthorized, afterReuse.StatusCode);
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_token()
    {
        var s = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await _anon.PostAsJsonAsync("/api/auth/logout", new { refreshToken = s.RefreshToken }))
            .StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await _anon.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = s.RefreshToken })).StatusCode);
    }

    [Fact]
    public async Task Refresh_is_refused_for_a_suspended_account()
    {
        var s = await app.RegisterAsync();
        var admin = await app.AdminAsync();
        var suspend = await admin.Client.PatchAsJsonAsync($"/api/admin/users/{s.UserId}", new { status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);

        var refresh = await _anon.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = s.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        var me = await s.Client.GetAsync("/api/users/me");
        await me.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "ACCOUNT_SUSPENDED");
    }
}

public sealed class AuthTestsOnPostgres(App<Postgres, Defaults> app) : AuthTests<App<Postgres, Defaults>>(app);

public sealed class AuthTestsOnSqlite(App<Sqlite, Defaults> app) : AuthTests<App<Sqlite, Defaults>>(app);
