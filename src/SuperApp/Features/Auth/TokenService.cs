using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

/// <summary>Issues access tokens (JWT) and opaque refresh tokens.</summary>
public sealed class TokenService(IOptions<JwtOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private readonly JwtOptions _jwt = options.Value;

    /// <summary>An access token; <paramref name="sessionId"/> (the refresh-token family) lets the session list mark the current
    /// one.</summary>
    public string CreateAccessToken(User user, Guid? sessionId = null)
    {
        var now = time.UtcNow();
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _jwt.Issuer,
            Audience = _jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _jwt.AccessTokenLifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(ClaimNames.UserId, user.Id.ToString()),
                new Claim(ClaimNames.Role, EnumText.Name(user.Role)),
                new Claim(ClaimNames.Tier, EnumText.Name(user.Tier)),
                new Claim(ClaimNames.TokenId, Guid.NewGuid().ToString("N")),
                .. sessionId is { } sid ? [new Claim(ClaimNames.SessionId, sid.ToString())] : Array.Empty<Claim>(),
            ]),
            SigningCredentials = new SigningCredentials(_jwt.SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Adds a refresh token to the context (the caller saves) and returns the full answer.</summary>
    public AuthResponse Issue(AppDbContext db, User user, HttpContext? http = null, Guid? familyId = null, RefreshToken? replacing = null)
    {
        var now = time.UtcNow();
        var raw = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var token = new RefreshToken
        {
            UserId = user.Id,
            FamilyId = familyId ?? Guid.CreateVersion7(),
            TokenHash = Hash(raw),
            CreatedAt = now,
            ExpiresAt = now + _jwt.RefreshTokenLifetime,
            UserAgent = http?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 200)] : null,
            Ip = http?.Connection.RemoteIpAddress?.ToString(),
        };
        db.RefreshTokens.Add(token);
        if (replacing is not null)
        {
            replacing.ReplacedById = token.Id;
        }

        return new AuthResponse(UserSummary.From(user), CreateAccessToken(user, token.FamilyId), raw,
            (int)_jwt.AccessTokenLifetime.TotalSeconds);
    }

    public static byte[] Hash(string refreshToken) => SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken));
}
