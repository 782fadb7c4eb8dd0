using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace SuperApp.Platform.Auth;

public static class AuthSetup
{
    public const string AdminPolicy = "admin";
    public const string CreatorPolicy = "creator";

    public static WebApplicationBuilder AddJwtAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JwtOptions>()
            .Configure(o => JwtOptions.Bind(o, builder.Configuration, builder.Environment))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) =>
            {
                var o = jwt.Value;
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = o.Issuer,
                    ValidAudience = o.Audience,
                    IssuerSigningKeys = o.ValidationKeys,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = ClaimNames.UserId,
                    RoleClaimType = ClaimNames.Role,
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, p => p.RequireRole("admin"))
            .AddPolicy(CreatorPolicy, p => p.RequireRole("creator", "admin"));
        builder.Services.AddMemoryCache();
        return builder;
    }
}
