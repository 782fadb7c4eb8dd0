using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SuperApp.Features.Users;
using SuperApp.Features.Users.Access;

namespace SuperApp.Tests.Infrastructure;

/// <summary>A registered user and an HTTP client that sends their access token.</summary>
public sealed record Session(HttpClient Client, Guid UserId, string Email, string Username, string Password, string AccessToken,
    string RefreshToken);

/// <summary>The parts of a ProblemDetails body tests look at.</summary>
public sealed record Problem(HttpStatusCode Status, string Code, string? RequestId, JsonElement Body);

public static class Api
{
    public const string Password = "correct-horse-battery";
    private static readonly string[] PlanBenefits = ["Early access"];

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>
    /// The one way tests assert a refusal: the response is an RFC 7807 problem (<c>application/problem+json</c>) whose
    /// status (on the response and in the body) and <c>code</c> are the ones given. Returns it for further checks.
    /// </summary>
    public static async Task<Problem> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            Assert.Fail($"Expected a {(int)status} {code} problem, got {(int)response.StatusCode} "
                + $"{response.Content.Headers.ContentType?.MediaType}: {await response.Content.ReadAsStringAsync()}");
        }

        var body = await response.JsonAsync();
        var problem = new Problem((HttpStatusCode)body.GetProperty("status").GetInt32(), body.GetProperty("code").GetString()!,
            body.TryGetProperty("requestId", out var id) ? id.GetString() : null, body);
        Assert.Equal((status, status, code), (response.StatusCode, problem.Status, problem.Code));
        return problem;
    }

    public static async Task<Problem> ShouldBeProblemAsync(this Task<HttpResponseMessage> response, HttpStatusCode status, string code) =>
        await (await response).ShouldBeProblemAsync(status, code);

    /// <summary>Registers a fresh user through the API and returns a client logged in as them.</summary>
    public static async Task<Session> RegisterAsync(this AppFixture app, string? phoneNumber = null)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..12];
        var client = app.CreateUserClient();
        var response = await client.PostAsJsonAsync("/api/auth/register",
            new { email = $"{name}@example.com", username = name, password = Password, phoneNumber });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var token = body.GetProperty("accessToken").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (phoneNumber is not null)
        {
            // A number given at registration counts once its code comes back, as a real client would send it.
            var verify = await client.PostAsJsonAsync("/api/users/me/phone/verify", new { code = app.Sms.LastCodeFor(phoneNumber) });
            Assert.Equal(System.Net.HttpStatusCode.OK, verify.StatusCode);
        }

        return new Session(client, body.GetProperty("user").GetProperty("id").GetGuid(), $"{name}@example.com", name, Password,
            token, body.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>Gives a user a role in the database, then logs in again so the token carries it.</summary>
    public static async Task<Session> WithRoleAsync(this AppFixture app, Session session, Role role)
    {
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == session.UserId);
            user.SetRole(role);
            await db.SaveChangesAsync();
        });
        // As the admin route does after a change: the service's cached account state is dropped.
        await app.Services.GetRequiredService<AccountChanges>().PublishAsync(session.UserId);
        return await app.LoginAsync(session);
    }

    public static async Task<Session> LoginAsync(this AppFixture app, Session session)
    {
        var client = app.CreateUserClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { login = session.Username, password = session.Password });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var token = body.GetProperty("accessToken").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return session with { Client = client, AccessToken = token, RefreshToken = body.GetProperty("refreshToken").GetString()! };
    }

    /// <summary>
    /// Moves the service's clock forward, then signs <paramref name="users"/> in again, since access tokens expire on that
    /// clock: their clients carry the new tokens, as an app's would after signing in again.
    /// </summary>
    public static async Task AdvanceAsync(this AppFixture app, TimeSpan by, params Session[] users)
    {
        app.Clock.Advance(by);
        foreach (var user in users)
        {
            user.Client.DefaultRequestHeaders.Authorization = (await app.LoginAsync(user)).Client.DefaultRequestHeaders.Authorization;
        }
    }

    /// <summary>A creator (logged in with a creator token), offering the given subscription plans if any.</summary>
    public static async Task<Session> CreatorAsync(this AppFixture app, params (string Plan, long Price)[] plans)
    {
        var creator = await app.WithRoleAsync(await app.RegisterAsync(), Role.Creator);
        if (plans.Length > 0)
        {
            var response = await creator.Client.PutAsJsonAsync("/api/subscription/plans",
                new { plans = plans.Select(p => new { plan = p.Plan, price = p.Price, benefits = PlanBenefits }) });
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        return creator;
    }

    public static Task<Session> AdminAsync(this AppFixture app) =>
        app.RegisterAsync().ContinueWith(t => app.WithRoleAsync(t.Result, Role.Admin)).Unwrap();
}
