using Microsoft.AspNetCore.Identity;
using SuperApp.Features.Users;

namespace SuperApp.Features.Auth;

public static class AuthModule
{
    public static IServiceCollection AddAuthFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AuthOptions>().Bind(config.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordHasherOptions>().Configure<Microsoft.Extensions.Options.IOptions<AuthOptions>>(
            (hasher, auth) => hasher.IterationCount = auth.Value.PasswordHashIterations);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<Passwords>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<OtpCodes>();
        services.AddScoped<LoginLockout>();
        services.AddSingleton<ISmsSender, LoggingSmsSender>();
        return services;
    }

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        auth.MapPost("/register", Register.Handle).WithName("Register");
        auth.MapPost("/login", Login.Handle).WithName("Login");
        auth.MapPost("/refresh", Refresh.Handle).WithName("Refresh");
        auth.MapPost("/logout", Logout.Handle).WithName("Logout");
        auth.MapPost("/otp/send", SendOtp.Handle).WithName("SendOtp");
        auth.MapPost("/otp/verify", VerifyOtp.Handle).WithName("VerifyOtp");
        return app;
    }
}
