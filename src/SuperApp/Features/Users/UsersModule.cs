using Microsoft.AspNetCore.Authentication;
using SuperApp.Features.Users.Access;
namespace SuperApp.Features.Users;

public static class UsersModule
{
    /// <summary>Account states read per request (cached, announced across instances on change).</summary>
    public static IServiceCollection AddUsers(this IServiceCollection services)
    {
        services.AddScoped<UserStatuses>();
        services.AddSingleton<AccountChanges>();
        services.AddHostedService(sp => sp.GetRequiredService<AccountChanges>());
        services.AddScoped<IClaimsTransformation, AccountClaims>();
        return services;
    }

    /// <summary>After authorization: stops deleted, suspended and signed-out tokens at once.</summary>
    public static IApplicationBuilder UseActiveAccounts(this IApplicationBuilder app) => app.UseMiddleware<ActiveAccountMiddleware>();

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        users.MapGet("/me", GetMe.Handle).WithName("GetMe").WithSummary("The caller's own profile").ProducesProblem(404);
        users.MapPatch("/me", UpdateMe.Handle).WithName("UpdateMe").WithSummary("Change the caller's profile")
            .ProducesProblem(404).ProducesProblem(409);
        users.MapDelete("/me", DeleteMe.Handle).WithName("DeleteMe").WithSummary("Erase the caller's account").ProducesProblem(404);
        users.MapGet("/me/export", ExportMe.Handle).WithName("ExportMe").WithSummary("Export everything stored about the caller")
            .ProducesProblem(404);
        users.MapPost("/me/creator", BecomeCreator.Handle).WithName("BecomeCreator").WithSummary("Become a creator")
            .ProducesProblem(404).ProducesProblem(409);
        users.MapPost("/me/phone", StartPhoneChange.Handle).WithName("StartPhoneChange")
            .WithSummary("Send a code to a new phone number; it is set once the code is verified").ProducesProblem(409);
        users.MapPost("/me/phone/verify", VerifyPhoneChange.Handle).WithName("VerifyPhoneChange")
            .WithSummary("Set the new phone number by the code sent to it").ProducesProblem(409);
        users.MapGet("/{id:guid}", GetUser.Handle).WithName("GetUser").WithSummary("A user's public profile");
        return app;
    }
}
