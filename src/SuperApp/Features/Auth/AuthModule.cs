using Microsoft.AspNetCore.Identity;
using SuperApp.Features.Users;
using SuperApp.Platform.RateLimiting;

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

    private static T? Arg<T>(EndpointFilterInvocationContext context) where T : class => context.Arguments.OfType<T>().FirstOrDefault();

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth").AllowAnonymous();
        auth.MapPost("/register", Register.Handle).WithName("Register")
            .RequireAnonymousRateLimit(c => Arg<RegisterRequest>(c)?.Email);
        auth.MapPost("/login", Login.Handle).WithName("Login")
            .RequireAnonymousRateLimit(c => Arg<LoginRequest>(c)?.Login);
        auth.MapPost("/refresh", Refresh.Handle).WithName("Refresh").RequireAnonymousRateLimit();
        auth.MapPost("/logout", Logout.Handle).WithName("Logout");
        auth.MapPost("/otp/send", SendOtp.Handle).WithName("SendOtp")
            .RequireAnonymousRateLimit(c => Arg<SendOtpRequest>(c)?.PhoneNumber);
        auth.MapPost("/otp/verify", VerifyOtp.Handle).WithName("VerifyOtp")
            .RequireAnonymousRateLimit(c => Arg<VerifyOtpRequest>(c)?.PhoneNumber);

        var me = app.MapGroup("/api/users/me").WithTags("Users").RequireAuthorization();
        me.MapPost("/password", ChangePassword.Handle).WithName("ChangePassword")
            .WithSummary("Change the password; every other session ends and this one gets a fresh token pair");
        me.MapGet("/sessions", Sessions.List).WithName("ListSessions").WithSummary("List the caller's live sessions");
        me.MapDelete("/sessions/{id:guid}", Sessions.Revoke).WithName("RevokeSession").WithSummary("End one of the caller's sessions");
        return app;
    }
}
