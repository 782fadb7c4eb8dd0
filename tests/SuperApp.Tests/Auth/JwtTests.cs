using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SuperApp.Tests.Infrastructure;

namespace SuperApp.Tests.Auth;

public abstract class JwtTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : AppFixture
{
    private const string Issuer = "superapp";
    private const string Audience = "superapp-clients";

    [Fact]
    public async Task No_token_is_an_unauthenticated_problem()
    {
        var response = await app.CreateClient().GetAsync("/api/users/me");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    [Fact]
    public async Task A_token_minted_like_the_service_does_is_accepted()
    {
        // Guards the attack tests below: they differ from this token in one property only.
        var s = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, await GetMeAsync(Mint(s.UserId)));
    }

    [Fact]
    public async Task A_token_signed_with_the_previous_secret_is_still_accepted()
    {
        var s = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, await GetMeAsync(Mint(s.UserId, secret: AppFixture.PreviousJwtSecret)));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var s = await app.RegisterAsync();
        var issued = DateTime.UtcNow.AddMinutes(-30);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetMeAsync(Mint(s.UserId, issuedAt: issued, lifetime: TimeSpan.FromMinutes(15))));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var s = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetMeAsync(Mint(s.UserId, secret: "an-attackers-own-key-0123456789-abcdefghijkl")));
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        var s = await app.RegisterAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { alg = "none", typ = "JWT" };
        var payload = new Dictionary<string, object>
        {
            ["sub"] = s.UserId.ToString(), ["role"] = "admin", ["tier"] = "admin",
            ["iss"] = Issuer, ["aud"] = Audience, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600,
        };
        var token = $"{Segment(header)}.{Segment(payload)}.";

        Assert.Equal(HttpStatusCode.Unauthorized, await GetMeAsync(token));
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var s = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetMeAsync(Mint(s.UserId, audience: "some-other-api")));
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var s = await app.RegisterAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetMeAsync(Mint(s.UserId, issuer: "evil-issuer")));
    }

    [Fact]
    public async Task A_refused_token_gets_the_unauthenticated_problem()
    {
        var s = await app.RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Mint(s.UserId, issuer: "evil-issuer"));

        await app.CreateClient().SendAsync(request).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    private async Task<HttpStatusCode> GetMeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await app.CreateClient().SendAsync(request)).StatusCode;
    }

    private static string Mint(Guid userId, string secret = AppFixture.JwtSecret, string issuer = Issuer, string audience = Audience,
        DateTime? issuedAt = null, TimeSpan? lifetime = null)
    {
        var iat = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = iat,
            NotBefore = iat,
            Expires = iat + (lifetime ?? TimeSpan.FromMinutes(15)),
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("role", "user"), new Claim("tier", "free")]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
                SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Segment(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));
}

public sealed class JwtTestsOnPostgres(App<Postgres, Defaults> app) : JwtTests<App<Postgres, Defaults>>(app);

public sealed class JwtTestsOnSqlite(App<Sqlite, Defaults> app) : JwtTests<App<Sqlite, Defaults>>(app);
