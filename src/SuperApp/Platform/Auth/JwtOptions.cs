using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace SuperApp.Platform.Auth;

/// <summary>Signing and lifetime settings for access and refresh tokens.</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";
    public const int MinimumSecretBytes = 32;

    /// <summary>From <c>JWT_SECRET</c>; a random one is made in Development when it is missing.</summary>
    public string Secret { get; set; } = "";

    /// <summary>From <c>JWT_SECRET_PREVIOUS</c>: still accepted while clients roll over to the new key.</summary>
    public string? PreviousSecret { get; set; }

    public string Issuer { get; set; } = "superapp";
    public string Audience { get; set; } = "superapp-clients";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    public SymmetricSecurityKey SigningKey => new(Encoding.UTF8.GetBytes(Secret));

    public IEnumerable<SecurityKey> ValidationKeys =>
        string.IsNullOrEmpty(PreviousSecret) ? [SigningKey] : [SigningKey,
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PreviousSecret))];

    public static void Bind(JwtOptions o, IConfiguration config, IHostEnvironment env)
    {
        config.GetSection(Section).Bind(o);
        o.Secret = config["JWT_SECRET"] is { Length: > 0 } s ? s : o.Secret;
        o.PreviousSecret = config["JWT_SECRET_PREVIOUS"] is { Length: > 0 } p ? p : o.PreviousSecret;
        if (string.IsNullOrEmpty(o.Secret) && env.IsDevelopment())
        {
            o.Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        }
    }
}

public sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions o)
    {
        if (Encoding.UTF8.GetByteCount(o.Secret) < JwtOptions.MinimumSecretBytes)
        {
            return ValidateOptionsResult.Fail($"JWT_SECRET must be set to at least {JwtOptions.MinimumSecretBytes} bytes.");
        }

        if (!string.IsNullOrEmpty(o.PreviousSecret) && Encoding.UTF8.GetByteCount(o.PreviousSecret) < JwtOptions.MinimumSecretBytes)
        {
            return ValidateOptionsResult.Fail($"JWT_SECRET_PREVIOUS must be at least {JwtOptions.MinimumSecretBytes} bytes.");
        }

        return o.AccessTokenLifetime > TimeSpan.Zero && o.RefreshTokenLifetime > o.AccessTokenLifetime
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Token lifetimes must be positive, refresh longer than access.");
    }
}
