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
        auth.MapPost("/register", Register.Handle).WithName("Register").WithSummary("Create an account and sign in").ProducesProblem(409)
            .RequireAnonymousRateLimit(c => Arg<RegisterRequest>(c)?.Email);
        auth.MapPost("/login", Login.Handle).WithName("Login").WithSummary("Sign in with email or username and password")
            .ProducesProblem(401)
            .RequireAnonymousRateLimit(c => Arg<LoginRequest>(c)?.Login);
        auth.MapPost("/refresh", Refresh.Handle).WithName("Refresh")
            .WithSummary("Exchange a refresh token for a new token pair").ProducesProblem(401).RequireAnonymousRateLimit();
        auth.MapPost("/logout", Logout.Handle).WithName("Logout").WithSummary("End the session a refresh token belongs to");
        auth.MapPost("/otp/send", SendOtp.Handle).WithName("SendOtp").WithSummary("Send a one-time sign-in code to a phone number")
            .RequireAnonymousRateLimit(c => Arg<SendOtpRequest>(c)?.PhoneNumber);
        auth.MapPost("/otp/verify", VerifyOtp.Handle).WithName("VerifyOtp").WithSummary("Sign in with a one-time code").ProducesProblem(401)
            .RequireAnonymousRateLimit(c => Arg<VerifyOtpRequest>(c)?.PhoneNumber);

        var me = app.MapGroup("/api/users/me").WithTags("Users").RequireAuthorization();
        me.MapPost("/password", ChangePassword.Handle).WithName("ChangePassword")
            .WithSummary("Change the password; every other session ends and this one gets a fresh token pair");
        me.MapGet("/sessions", Sessions.List).WithName("ListSessions").WithSummary("List the caller's live sessions");
        me.MapDelete("/sessions/{id:guid}", Sessions.Revoke).WithName("RevokeSession").WithSummary("End one of the caller's sessions");
        return app;
    }
}
